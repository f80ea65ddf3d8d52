import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { Config } from '../config.js'
import type { MediaStore } from '../deps.js'

/** The image types kept, by the extension their files get: the type is read back from the name. */
const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' } as const
type ImageMime = keyof typeof EXTENSIONS
const MIME_OF = Object.fromEntries(Object.entries(EXTENSIONS).map(([m, e]) => [e, m])) as Record<string, ImageMime>

export const SHA256_HEX = /^[0-9a-f]{64}$/

/** MEDIA_DIR, or `media` beside the database file (an in-memory database has no such place: the working directory's). */
export function mediaDirOf(config: Pick<Config, 'mediaDir' | 'databasePath'>): string {
  if (config.mediaDir) return resolve(config.mediaDir)
  const base = config.databasePath === ':memory:' ? '.' : dirname(config.databasePath)
  return resolve(base, 'media')
}

/**
 * Images on disk, content-addressed: `<dir>/sha/ab/abcdef….jpg` (the SHA-256 of the bytes, its
 * first two hex digits as a folder, the type as the extension). A file is written under `<dir>/tmp`
 * and renamed into place, so a crash never leaves half an image under its name; the same bytes put
 * twice are kept once. Only JPEG, PNG, GIF and WebP are taken (what fetchImage returns).
 */
export function createFileMediaStore(dir: string): MediaStore {
  const root = resolve(dir)
  const pathOf = (sha: string, ext: string) => join(root, 'sha', sha.slice(0, 2), `${sha}.${ext}`)

  async function find(sha: string): Promise<{ path: string; mime: ImageMime } | null> {
    if (!SHA256_HEX.test(sha)) return null
    for (const [ext, mime] of Object.entries(MIME_OF)) {
      const path = pathOf(sha, ext)
      if (await exists(path)) return { path, mime }
    }
    return null
  }

  return {
    async put(bytes, mime) {
      const ext = EXTENSIONS[mime as ImageMime]
      if (!ext) throw new Error(`media store: ${mime} is not an image type Loa keeps`)
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      const target = pathOf(sha256, ext)
      if (!(await exists(target))) {
        const tmpDir = join(root, 'tmp')
        await mkdir(tmpDir, { recursive: true })
        await mkdir(dirname(target), { recursive: true })
        const tmp = join(tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`)
        const file = await open(tmp, 'wx', 0o600)
        try {
          await file.writeFile(bytes)
          await file.sync()
        } finally {
          await file.close()
        }
        try {
          await rename(tmp, target)
        } catch (err) {
          await rm(tmp, { force: true })
          throw err
        }
      }
      return { sha256, size: bytes.byteLength }
    },
    async get(sha256) {
      const found = await find(sha256)
      if (!found) return null
      try {
        return { bytes: new Uint8Array(await readFile(found.path)), mime: found.mime }
      } catch {
        return null // erased meanwhile
      }
    },
    async delete(sha256) {
      if (!SHA256_HEX.test(sha256)) return
      await Promise.all(Object.keys(MIME_OF).map((ext) => rm(pathOf(sha256, ext), { force: true })))
    },
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
