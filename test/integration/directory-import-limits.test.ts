import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startHarness, type Harness } from '../helpers/harness.js'
import { zip } from '../helpers/sheets.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

async function preview(bytes: Uint8Array | string, name: string) {
  const res = await h.app.request(`/api/import/preview?filename=${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
  })
  return { status: res.status, message: ((await res.json()) as { error?: { message: string } }).error?.message }
}

const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>a</t></is></c></row>`).join('')

// Security finding 11: the import refused a file past its limits only after reading all of it.
describe('the import refuses a file past its limits without reading the rest', () => {
  it('stops reading a CSV at the first row past 60,000: a broken line further down is never reached', async () => {
    // 60,001 people, then an unmatched quote: reading the whole file would answer "unmatched quotes".
    const csv = 'full_name,unit_code\n' + 'a,b\n'.repeat(60_001) + '"broken,b\n' + 'a,b\n'.repeat(100_000)
    const res = await preview(csv, 'big.csv')
    expect(res).toEqual({ status: 422, message: 'Tệp có hơn 60000 dòng; hãy chia thành nhiều tệp.' })
  })

  it('counts a workbook’s rows before loading it, and refuses one that inflates past 100 MB', async () => {
    // A worksheet of 70,000 rows, and nothing else a workbook needs: it is refused for its rows before it is loaded.
    const rows = zip({ 'xl/worksheets/sheet1.xml': `<worksheet><sheetData>${rowsOf(70_000)}</sheetData></worksheet>` })
    expect(await preview(rows, 'rows.xlsx')).toEqual({ status: 422, message: 'Tệp có hơn 60000 dòng; hãy chia thành nhiều tệp.' })

    // A "zip bomb": 120 MB of XML deflated to about 120 KB.
    const bomb = zip({
      '[Content_Types].xml': '<Types/>',
      'xl/worksheets/sheet1.xml': Buffer.concat([Buffer.from('<worksheet><sheetData>'), Buffer.alloc(120 * 1024 * 1024, 0x20), Buffer.from('</sheetData></worksheet>')]),
    })
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const refused = await preview(bomb, 'bomb.xlsx')
    expect(refused).toEqual({ status: 422, message: 'Tệp bomb.xlsx giải nén ra hơn 100 MB; hãy chia thành nhiều tệp hoặc xoá các trang tính không cần.' })
    expect((await (await h.api('/people')).json()).total).toBe(0)
  })
})
