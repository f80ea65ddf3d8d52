/**
 * Looks into an `.xlsx` file (a zip) before exceljs loads it, so that a file past the import's
 * limits is refused without being read whole: the entries' uncompressed size is capped (a "zip
 * bomb" of a few hundred kilobytes can inflate to gigabytes) and the worksheets' rows are counted
 * as their XML streams out of the zip, stopping at the first row past the limit. It reads the zip's
 * central directory itself and inflates with DecompressionStream, on Node and on Workers alike.
 */

export type ZipRefusal = 'unreadable' | 'tooLarge' | 'tooManyRows'

interface Entry {
  name: string
  method: number
  compressedSize: number
  size: number
  localOffset: number
}

/** The entries of a zip from its central directory, or null when it is not a zip this reads (zip64, split). */
function zipEntries(bytes: Uint8Array): Entry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let eocd = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return null
  const count = view.getUint16(eocd + 10, true)
  let at = view.getUint32(eocd + 16, true)
  if (count === 0xffff || at === 0xffffffff) return null
  const entries: Entry[] = []
  const names = new TextDecoder()
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null
    const nameLength = view.getUint16(at + 28, true)
    entries.push({
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    })
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  }
  return entries
}

/** An entry's data as it streams out of the zip (stored or deflated). */
function entryStream(bytes: Uint8Array, entry: Entry): ReadableStream<Uint8Array> | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const at = entry.localOffset
  if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) return null
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true)
  const data = bytes.slice(start, start + entry.compressedSize)
  const raw = new Blob([data]).stream()
  if (entry.method === 0) return raw
  if (entry.method === 8) return raw.pipeThrough(new DecompressionStream('deflate-raw'))
  return null
}

// A row element, <row …> or <x:row …>; not <rowBreaks>. The prefix and the name hold no "<".
const ROW = /<(?:[A-Za-z_][\w.-]*:)?row[\s>/]/g
const isWorksheet = (name: string) => /^xl\/worksheets\/[^/]+\.xml$/i.test(name)

/**
 * Checks a workbook against the limits: at most `maxBytes` uncompressed (declared and actual) and at
 * most `maxRows` rows in all worksheets together. Answers the first limit passed, or null.
 */
export async function checkWorkbookLimits(bytes: Uint8Array, maxBytes: number, maxRows: number): Promise<ZipRefusal | null> {
  const entries = zipEntries(bytes)
  if (!entries) return 'unreadable'
  if (entries.reduce((sum, e) => sum + e.size, 0) > maxBytes) return 'tooLarge'
  let inflated = 0
  let rows = 0
  for (const entry of entries) {
    const stream = entryStream(bytes, entry)
    if (!stream) return 'unreadable'
    const reader = stream.getReader()
    const text = new TextDecoder()
    let tail = ''
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        inflated += value.byteLength
        if (inflated > maxBytes) {
          await reader.cancel()
          return 'tooLarge'
        }
        if (!isWorksheet(entry.name)) continue
        // Count up to a "<" near the end: a row tag cut by the chunk's end is counted with the next chunk.
        const chunk = tail + text.decode(value, { stream: true })
        const lt = chunk.lastIndexOf('<')
        const cut = lt >= 0 && lt > chunk.length - 64 ? lt : chunk.length
        rows += chunk.slice(0, cut).match(ROW)?.length ?? 0
        tail = chunk.slice(cut)
        if (rows > maxRows) {
          await reader.cancel()
          return 'tooManyRows'
        }
      }
    } catch {
      return 'unreadable'
    }
    rows += tail.match(ROW)?.length ?? 0
    if (rows > maxRows) return 'tooManyRows'
  }
  return null
}
