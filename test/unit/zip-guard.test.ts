import { describe, expect, it } from 'vitest'
import { checkWorkbookLimits } from '#src/domain/directory/zip-guard.js'
import { zip } from '../helpers/sheets.js'

// Rows with a namespace prefix on some, and <rowBreaks>, which is no row; long enough to span many inflated chunks.
const sheet = (n: number) =>
  `<worksheet><sheetData>${Array.from({ length: n }, (_, i) => (i % 3 ? `<row r="${i + 1}"><c><v>${i}</v></c></row>` : `<x:row r="${i + 1}"/>`)).join('')}</sheetData><rowBreaks count="1"/></worksheet>`

describe('checkWorkbookLimits', () => {
  it('counts every row of every worksheet exactly, across chunk boundaries', async () => {
    const file = zip({ 'xl/worksheets/sheet1.xml': sheet(30_000), 'xl/worksheets/sheet2.xml': sheet(20_000), 'xl/sharedStrings.xml': '<row/>'.repeat(100) })
    expect(await checkWorkbookLimits(file, 100 * 1024 * 1024, 50_000)).toBeNull()
    expect(await checkWorkbookLimits(file, 100 * 1024 * 1024, 49_999)).toBe('tooManyRows')
  })

  it('refuses by the inflated size, declared or found, and what is not a zip it reads', async () => {
    const file = zip({ 'xl/worksheets/sheet1.xml': sheet(1000) })
    const size = sheet(1000).length
    expect(await checkWorkbookLimits(file, size, 10_000)).toBeNull()
    expect(await checkWorkbookLimits(file, size - 1, 10_000)).toBe('tooLarge')
    // A central directory that understates the size: the inflated bytes are counted as they come.
    const lying = Buffer.from(file)
    const central = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
    lying.writeUInt32LE(10, central + 24)
    expect(await checkWorkbookLimits(lying, size - 1, 10_000)).toBe('tooLarge')
    expect(await checkWorkbookLimits(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), size, 10_000)).toBe('unreadable')
  })
})
