import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'

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

/** An .xlsx workbook with one worksheet per entry (rows as arrays; numbers stay numbers, as Excel keeps them). */
export async function workbook(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name)
    for (const row of rows) ws.addRow(row)
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}
