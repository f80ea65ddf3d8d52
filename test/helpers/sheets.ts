import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { crc32, deflateRawSync } from 'node:zlib'
import { ADMIN_TOKEN, type Harness } from './harness.js'

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/g

/**
 * Text as Vietnamese Windows saves it in Windows-1258: tone marks (grave, acute, tilde, hook,
 * dot below) as separate combining characters after the letter, which keeps only its â ê ô ơ ư ă.
 * That is what Excel on a Vietnamese Windows writes for "CSV (Comma delimited)".
 */
export function windows1258(text: string): Buffer {
  const decomposed = [...text]
    .map((ch) => {
      const nfd = ch.normalize('NFD')
      const tones = nfd.match(TONES)?.join('') ?? ''
      return nfd.replace(TONES, '').normalize('NFC') + tones
    })
    .join('')
  const bytes = iconv.encode(decomposed, 'windows1258')
  if (iconv.decode(bytes, 'windows1258') !== decomposed) throw new Error(`not encodable in Windows-1258: ${text}`)
  return bytes
}

/**
 * An .xlsx workbook with one worksheet per entry (rows as arrays; numbers stay numbers, as Excel keeps
 * them), and cells merged as given per sheet ("A1:E1": an office sheet's title across the table).
 */
export async function workbook(sheets: Record<string, unknown[][]>, merges: Record<string, string[]> = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name)
    for (const row of rows) ws.addRow(row)
    for (const range of merges[name] ?? []) ws.mergeCells(range)
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** A zip file of the given entries, deflated, written by hand so a test can make one no spreadsheet program would. */
export function zip(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content)
    const packed = deflateRawSync(data)
    const fileName = Buffer.from(name)
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0)
    head.writeUInt16LE(20, 4)
    head.writeUInt16LE(8, 8)
    head.writeUInt32LE(crc32(data), 14)
    head.writeUInt32LE(packed.length, 18)
    head.writeUInt32LE(data.length, 22)
    head.writeUInt16LE(fileName.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    head.copy(central, 8, 6, 26)
    central.writeUInt16LE(fileName.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(head, fileName, packed)
    centrals.push(central, fileName)
    offset += head.length + fileName.length + packed.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(entries).length, 8)
  end.writeUInt16LE(Object.keys(entries).length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** Uploads a file to an /api import route as the console's form does (multipart, field "file"). */
export async function uploadSheet(h: Harness, path: string, bytes: Uint8Array | string, name: string, lang = 'vi') {
  const form = new FormData()
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name)
  const res = await h.app.request(`/api${path}${path.includes('?') ? '&' : '?'}lang=${lang}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: form,
  })
  return { status: res.status, body: (await res.json()) as any }
}
