import { createHash } from 'node:crypto'
import type { MediaStore } from '#src/deps.js'

/** A media store in memory, as the Node runtime's on disk (Workers have none); `stored` is what it keeps. */
export function memoryMedia(stored = new Map<string, { bytes: Uint8Array; mime: string }>()): MediaStore & { stored: typeof stored } {
  return {
    stored,
    async put(bytes, mime) {
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      stored.set(sha256, { bytes, mime })
      return { sha256, size: bytes.length }
    },
    async get(sha) {
      return stored.get(sha) ?? null
    },
    async delete(sha) {
      stored.delete(sha)
    },
  }
}
