import ExcelJS from 'exceljs'
import { excelSettled } from './excel-settle.js'

/** A cell: a Date is a real Excel date, its UTC fields the wall-clock time shown (see wallClock in src/time.ts). */
export type Cell = string | number | Date | null

export interface Sheet {
  name: string
  /** The first row is the header. */
  rows: readonly (readonly Cell[])[]
}

const DATE_FORMAT = 'dd/mm/yyyy hh:mm'

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * An .xlsx workbook of plain tables (exceljs): a bold, frozen header row, columns sized to their
 * content, numbers kept as numbers and dates as dates, so the Department can sort, filter and forward it.
 */
export async function workbook(sheets: readonly Sheet[]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook()
  book.creator = 'Loa'
  for (const sheet of sheets) {
    // Excel forbids some characters in sheet names and allows 31 characters.
    const ws = book.addWorksheet(sheet.name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] })
    const widths: number[] = []
    for (const row of sheet.rows) {
      const added = ws.addRow([...row])
      row.forEach((value, i) => {
        if (value instanceof Date) added.getCell(i + 1).numFmt = DATE_FORMAT
        widths[i] = Math.max(widths[i] ?? 6, value instanceof Date ? DATE_FORMAT.length : String(value ?? '').length)
      })
    }
    ws.getRow(1).font = { bold: true }
    ws.columns.forEach((col, i) => {
      col.width = Math.min((widths[i] ?? 6) + 2, 60)
    })
  }
  try {
    return new Uint8Array(await book.xlsx.writeBuffer())
  } finally {
    await excelSettled() // see excel-settle.ts: a Workers hang otherwise
  }
}
