import { parse } from 'csv-parse/sync'
import type ExcelJS from 'exceljs'
import { AppError } from '../../errors.js'
import { excelSettled } from '../excel-settle.js'
import { checkWorkbookLimits } from './zip-guard.js'

/**
 * A spreadsheet as the directory import reads it: whatever the Department's staff save from Excel.
 * An `.xlsx` workbook (every sheet), or a CSV file as Excel writes it: comma, semicolon or tab
 * separated, UTF-8 with or without a byte-order mark, UTF-16 ("Unicode text"), or Windows-1258
 * (Vietnamese Windows' own code page, where tone marks are separate combining characters).
 * All text comes out in Unicode NFC, so "Trần" typed on any machine is the same "Trần".
 */
export interface SheetTable {
  /** The worksheet's name, or the file's name for a CSV. */
  name: string
  header: string[]
  /** The header's row number, as the user sees it. */
  headerRow: number
  /** Data rows with their number as the user sees it: Excel's row number, or the CSV line. */
  rows: { row: number; cells: string[] }[]
}

export interface SheetFile {
  format: 'xlsx' | 'csv'
  /** For CSV: the encoding and separator found. */
  encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1258'
  delimiter?: string
  tables: SheetTable[]
}

/** More rows than this in one file are refused: a city's directory (some 50,000 people) fits. */
export const MAX_SHEET_ROWS = 60_000
/**
 * A workbook that inflates to more than this is refused before it is loaded (a zip bomb). A
 * 60,000-row sheet of a dozen columns inflates to some 40 MB of XML.
 */
export const MAX_XLSX_BYTES = 100 * 1024 * 1024
/** Rows counted before a workbook is loaded: the data rows, plus room for each sheet's title and header rows. */
const PRECOUNT_SLACK = 200

const isZip = (b: Uint8Array) => b.length > 3 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04
const isOldExcel = (b: Uint8Array) => b.length > 3 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0

/** Reads an uploaded file: `.xlsx` by its content (a zip), anything else as CSV text. */
export async function readSheetFile(bytes: Uint8Array, fileName: string): Promise<SheetFile> {
  if (bytes.length === 0) throw new AppError('unprocessable', 'directory.import.emptyFile', { file: fileName })
  if (isOldExcel(bytes)) throw new AppError('unprocessable', 'directory.import.oldExcel', { file: fileName })
  if (isZip(bytes)) return { format: 'xlsx', tables: await readWorkbook(bytes, fileName) }
  const { text, encoding } = decodeText(bytes)
  const delimiter = detectDelimiter(text)
  return { format: 'csv', encoding, delimiter, tables: [readCsv(text, delimiter, fileName)] }
}

/**
 * The text of a CSV file. A byte-order mark decides; else the bytes are UTF-8 if they decode as
 * UTF-8 without error (text in Windows-1258 with any Vietnamese letter never does), else
 * Windows-1258. TextDecoder knows windows-1258 on Node (full ICU) and on Workers alike.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: NonNullable<SheetFile['encoding']> } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)).normalize('NFC'), encoding: 'utf-8' }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)).normalize('NFC'), encoding: 'utf-16le' }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)).normalize('NFC'), encoding: 'utf-16be' }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).normalize('NFC'), encoding: 'utf-8' }
  } catch {
    // Windows-1258 writes "ầ" as "â" followed by a combining grave accent: NFC makes it one letter.
    return { text: new TextDecoder('windows-1258').decode(bytes).normalize('NFC'), encoding: 'windows-1258' }
  }
}

/**
 * The separator: the most frequent of , ; and tab outside quotes in the first lines (Excel in
 * Vietnamese writes ;). Several lines, since an office sheet's first lines are titles ("UBND…;;;;").
 */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]])
  let quoted = false
  let lines = 0
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && ch === '\n' && ++lines >= 20) break
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1)
  }
  let best = ','
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d
  return best
}

/**
 * Whether a CSV has more than `limit` records with something in them, counted cheaply (no fields
 * built, stopping at the first record past the limit): line breaks outside quotes end a record.
 */
function moreRecordsThan(text: string, delimiter: string, limit: number): boolean {
  const quote = 34
  const separator = delimiter.charCodeAt(0)
  let records = 0
  let quoted = false
  let filled = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (ch === quote) quoted = !quoted
    else if (quoted) filled = true
    else if (ch === 10 || ch === 13) {
      if (filled && ++records > limit) return true
      filled = false
    } else if (ch !== separator && ch !== 32 && ch !== 9) filled = true
  }
  return filled && records + 1 > limit
}

function readCsv(text: string, delimiter: string, name: string): SheetTable {
  if (moreRecordsThan(text, delimiter, MAX_SHEET_ROWS + 1)) throw new AppError('unprocessable', 'directory.import.tooManyRows', { max: MAX_SHEET_ROWS })
  let records: { record: string[]; info: { lines: number } }[]
  try {
    // The parser stops at the first row past the limit (`to`), should the count above have missed one.
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      info: true,
      bom: true,
      to: MAX_SHEET_ROWS + 2,
    }) as unknown as typeof records
  } catch (err) {
    const line = (err as { lines?: number }).lines
    throw new AppError('unprocessable', 'directory.import.badCsv', { file: name, line: line ?? '?' })
  }
  const [head, ...body] = records
  if (body.length > MAX_SHEET_ROWS) throw new AppError('unprocessable', 'directory.import.tooManyRows', { max: MAX_SHEET_ROWS })
  return { name, header: head?.record ?? [], headerRow: head?.info.lines ?? 1, rows: body.map((r) => ({ row: r.info.lines, cells: r.record })) }
}

async function readWorkbook(bytes: Uint8Array, fileName: string): Promise<SheetTable[]> {
  // Loaded only for a workbook: exceljs is large, and the CLI and the server start faster without it.
  const refusal = await checkWorkbookLimits(bytes, MAX_XLSX_BYTES, MAX_SHEET_ROWS + PRECOUNT_SLACK)
  if (refusal === 'unreadable') throw new AppError('unprocessable', 'directory.import.badXlsx', { file: fileName })
  if (refusal === 'tooLarge') throw new AppError('unprocessable', 'directory.import.tooLarge', { file: fileName, max: MAX_XLSX_BYTES / 1024 / 1024 })
  if (refusal === 'tooManyRows') throw new AppError('unprocessable', 'directory.import.tooManyRows', { max: MAX_SHEET_ROWS })
  const { default: excel } = await import('exceljs')
  const workbook = new excel.Workbook()
  try {
    // exceljs hands the bytes to JSZip, which reads a Uint8Array on Node and on Workers alike.
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch {
    throw new AppError('unprocessable', 'directory.import.badXlsx', { file: fileName })
  } finally {
    // exceljs leaves ticks queued after a load; answering before they run hangs every later .xlsx on Workers.
    await excelSettled()
  }
  const tables: SheetTable[] = []
  let total = 0
  for (const ws of workbook.worksheets) {
    if (ws.state === 'hidden' || ws.state === 'veryHidden') continue
    let header: string[] | undefined
    let headerRow = 1
    const rows: SheetTable['rows'] = []
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = []
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cells[col - 1] = cellText(cell.value)
      })
      for (let i = 0; i < cells.length; i++) cells[i] ??= ''
      if (!cells.some((c) => c !== '')) return
      if (!header) [header, headerRow] = [cells, rowNumber]
      else rows.push({ row: rowNumber, cells })
    })
    total += rows.length
    if (total > MAX_SHEET_ROWS) throw new AppError('unprocessable', 'directory.import.tooManyRows', { max: MAX_SHEET_ROWS })
    if (header) tables.push({ name: ws.name, header, headerRow, rows })
  }
  return tables
}

/** A cell as the text the user sees: rich text joined, a formula's result, a date as yyyy-mm-dd. */
function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return ''
  if (typeof value === 'string') return value.normalize('NFC').trim()
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value)
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if ('richText' in value) return value.richText.map((r) => r.text).join('').normalize('NFC').trim()
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue)
  if ('hyperlink' in value) return cellText((value as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue)
  return ''
}
