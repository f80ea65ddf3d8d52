import ExcelJS from 'exceljs'

export interface Sheet {
  name: string
  /** The first row is the header. */
  rows: readonly (readonly (string | number | null)[])[]
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * An .xlsx workbook of plain tables (exceljs): a bold, frozen header row, columns sized to their
 * content, numbers kept as numbers, so the Department can sort, filter and forward it.
 */
export async function workbook(sheets: readonly Sheet[]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook()
  book.creator = 'Loa'
  for (const sheet of sheets) {
    // Excel forbids some characters in sheet names and allows 31 characters.
    const ws = book.addWorksheet(sheet.name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] })
    for (const row of sheet.rows) ws.addRow([...row])
    ws.getRow(1).font = { bold: true }
    ws.columns.forEach((col, i) => {
      const widest = Math.max(...sheet.rows.map((r) => String(r[i] ?? '').length), 6)
      col.width = Math.min(widest + 2, 60)
    })
  }
  return new Uint8Array(await book.xlsx.writeBuffer())
}
