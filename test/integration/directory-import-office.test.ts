import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { consoleClient } from '../helpers/console.js'
import { ADMIN_TOKEN, startHarness, type Harness } from '../helpers/harness.js'
import { uploadSheet, windows1258, workbook } from '../helpers/sheets.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
  const units = await h.api('/units', {
    body: [
      { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo thành phố Cần Thơ', kind: 'department' },
      { code: 'MN-HOASEN', name: 'Trường Mầm non Hoa Sen', kind: 'school', parentCode: 'SGDDT' },
      { code: 'THCS-DTD', name: 'Trường THCS Đoàn Thị Điểm', kind: 'school', parentCode: 'SGDDT' },
      // Two schools of the same name in two wards.
      { code: 'TH-AB-NK', name: 'Trường Tiểu học An Bình', kind: 'school', parentCode: 'SGDDT' },
      { code: 'TH-AB-CR', name: 'Trường Tiểu học An Bình', kind: 'school', parentCode: 'SGDDT' },
    ],
  })
  expect(units.status).toBe(200)
})
afterEach(() => h.close())

/** A people sheet as a Department's office keeps it: title rows merged across the table, then the header on row 5. */
const officeSheet = (header: string[], rows: unknown[][]) =>
  workbook(
    {
      'DS cán bộ': [
        ['UBND THÀNH PHỐ CẦN THƠ'],
        ['SỞ GIÁO DỤC VÀ ĐÀO TẠO'],
        ['DANH SÁCH CÁN BỘ, GIÁO VIÊN ĐẦU MỐI TRUYỀN THÔNG NĂM HỌC 2026-2027'],
        [],
        header,
        ...rows,
      ],
    },
    { 'DS cán bộ': ['A1:E1', 'A2:E2', 'A3:E3'] },
  )

const peopleCount = async () => (await (await h.api('/people')).json()).total as number

describe('an office workbook imports as it is (issue 19)', () => {
  it('finds the header below the title rows, units by name, roles in words and phones as numbers', async () => {
    const file = await officeSheet(
      ['STT', 'Họ và tên', 'Đơn vị', 'Chức vụ', 'Số điện thoại'],
      [
        [1, 'Nguyễn Thị Lan', 'Trường Mầm non Hoa Sen', 'Giáo viên', 912000111],
        [2, 'Trần Văn Minh', 'Truong THCS Doan Thi Diem', 'Hiệu trưởng, Đầu mối truyền thông', '+84 913 000 222'],
        [3, 'Lê Thị Hoa', 'Sở Giáo dục và Đào tạo thành phố Cần Thơ', 'Cán bộ truyền thông', '0914.000.333'],
        [4, 'Phạm Văn Nam', 'TH-AB-CR', 'Phó hiệu trưởng', null],
      ],
    )
    const preview = await uploadSheet(h, '/import/preview', file, 'danh-sach.xlsx')
    expect(preview.status).toBe(200)
    expect(preview.body.problems).toEqual([])
    expect(preview.body.file.sheets).toMatchObject([{ name: 'DS cán bộ', kind: 'people', rows: 4, headerRow: 5 }])
    expect(preview.body.people.items.map((p: any) => [p.row, p.fullName, p.unitCode, p.roles])).toEqual([
      [6, 'Nguyễn Thị Lan', 'MN-HOASEN', ['teacher']],
      [7, 'Trần Văn Minh', 'THCS-DTD', ['manager', 'focal_point']],
      [8, 'Lê Thị Hoa', 'SGDDT', ['comms_staff']],
      [9, 'Phạm Văn Nam', 'TH-AB-CR', ['manager']],
    ])

    const done = await uploadSheet(h, '/import', file, 'danh-sach.xlsx')
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({ written: true, people: { create: 4 } })
    const people = (await (await h.api('/people?unit=SGDDT')).json()).items as any[]
    // Phones are kept as 0xxxxxxxxx, however the sheet wrote them.
    const phones = await Promise.all(
      ['Nguyễn Thị Lan', 'Trần Văn Minh', 'Lê Thị Hoa'].map(async (name) => {
        const exported = await (await h.api(`/people/${people.find((p) => p.fullName === name).id}/export`)).json()
        return exported.person.phone
      }),
    )
    expect(phones).toEqual(['0912000111', '0913000222', '0914000333'])
  })

  it('names each bad row in Vietnamese, an ambiguous unit with its candidates, and writes nothing', async () => {
    // Headers typed without diacritics, and the role column headed "Chức danh".
    const file = await officeSheet(
      ['STT', 'Ho va ten', 'Don vi', 'Chuc danh', 'So dien thoai'],
      [
        [1, 'Nguyễn Thị Lan', 'Trường Mầm non Hoa Sen', 'Giáo viên', 912000111],
        [2, 'Võ Thị Mai', 'Trường Tiểu học An Bình', 'Giáo viên', null],
        [3, 'Đỗ Văn Tài', 'Trường Mầm non Hoa Sen', 'Kế toán', '0912'],
        [4, 'Hồ Văn Khải', 'Trường Không Có', 'Giáo viên', null],
      ],
    )
    const preview = await uploadSheet(h, '/import/preview', file, 'loi.xlsx')
    expect(preview.status).toBe(200)
    expect(preview.body.problems.map((p: any) => p.message)).toEqual([
      'Trang "DS cán bộ", dòng 7, cột "Don vi": có nhiều đơn vị tên "Trường Tiểu học An Bình": Trường Tiểu học An Bình (TH-AB-NK); Trường Tiểu học An Bình (TH-AB-CR); hãy ghi mã đơn vị',
      'Trang "DS cán bộ", dòng 8, cột "Chuc danh": "Kế toán" không phải vai trò; dùng: giáo viên, quản lý (hiệu trưởng, phó hiệu trưởng), đầu mối truyền thông, cán bộ truyền thông, quản trị (nhiều vai trò cách nhau bằng dấu ;)',
      'Trang "DS cán bộ", dòng 8, cột "So dien thoai": "0912" không phải số điện thoại Việt Nam, ví dụ 0912345678',
      'Trang "DS cán bộ", dòng 9, cột "Don vi": không có đơn vị nào mã hoặc tên "Trường Không Có"',
    ])
    expect(preview.body.badRows).toBe(3)
    const refused = await uploadSheet(h, '/import', file, 'loi.xlsx')
    expect(refused.status).toBe(422)
    expect(refused.body.error.message).toBe('3 dòng có lỗi; chưa có gì được ghi. Sửa các dòng đó rồi nạp lại.')
    expect(await peopleCount()).toBe(0)
  })

  it('reads the same list saved as CSV by Excel in Vietnamese: title lines, semicolons, Windows-1258', async () => {
    const csv = [
      'UBND THÀNH PHỐ CẦN THƠ;;;;',
      'SỞ GIÁO DỤC VÀ ĐÀO TẠO;;;;',
      '"DANH SÁCH CÁN BỘ, GIÁO VIÊN, ĐẦU MỐI TRUYỀN THÔNG";;;;',
      ';;;;',
      'STT;Họ và tên;Đơn vị;Chức vụ;Số điện thoại',
      '1;Nguyễn Thị Lan;Trường Mầm non Hoa Sen;Giáo viên;912000111',
      '2;Trần Văn Minh;Trường THCS Đoàn Thị Điểm;Hiệu trưởng kiêm Đầu mối truyền thông;84913000222',
    ].join('\r\n')
    const preview = await uploadSheet(h, '/import/preview', windows1258(csv), 'danh-sach.csv')
    expect(preview.body.file).toMatchObject({ encoding: 'windows-1258', delimiter: ';', sheets: [{ kind: 'people', headerRow: 5, rows: 2 }] })
    expect(preview.body.problems).toEqual([])
    expect(preview.body.people.items.map((p: any) => [p.row, p.fullName, p.unitCode, p.roles])).toEqual([
      [6, 'Nguyễn Thị Lan', 'MN-HOASEN', ['teacher']],
      [7, 'Trần Văn Minh', 'THCS-DTD', ['manager', 'focal_point']],
    ])
  })

  it('offers a template workbook that imports as it is', async () => {
    const admin = consoleClient(h)
    expect((await admin.post('/admin/login', { token: ADMIN_TOKEN })).status).toBe(303)
    const page = await admin.text(await admin.get('/admin/directory/import'))
    expect(page).toContain('Tải tệp mẫu (.xlsx)')
    const res = await admin.get('/admin/directory/import/template')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('spreadsheetml')
    expect(res.headers.get('content-disposition')).toContain('mau-nap-danh-ba.xlsx')
    const template = new Uint8Array(await res.arrayBuffer())
    const preview = await uploadSheet(h, '/import/preview', template, 'mau.xlsx')
    expect(preview.body.problems).toEqual([])
    expect(preview.body.file.sheets.map((s: any) => s.kind)).toEqual(['people', 'units', null])
    expect(preview.body.people.items.map((p: any) => [p.fullName, p.unitCode, p.roles, p.hasPhone])).toEqual([
      ['Nguyễn Thị Lan', 'THCS-ANHOA', ['teacher'], true],
      ['Trần Văn Minh', 'THCS-ANHOA', ['manager', 'focal_point'], true],
    ])
  })

  it('lets the user choose what an unrecognised column holds in the console preview, and imports with that choice', async () => {
    const admin = consoleClient(h)
    await admin.post('/admin/login', { token: ADMIN_TOKEN })
    const file = await officeSheet(['STT', 'Họ và tên', 'Đơn vị', 'Chức vụ', 'Liên lạc'], [[1, 'Nguyễn Thị Lan', 'Trường Mầm non Hoa Sen', 'Giáo viên', 912000111]])
    const carried = { file64: file.toString('base64'), name: 'lien-lac.xlsx' }
    const first = await admin.post('/admin/directory/import', carried)
    expect(first.status).toBe(200)
    const html = await first.text()
    expect(html).toMatch(/<label for="col-0-4">Cột &quot;Liên lạc&quot; \(trang DS cán bộ\)<\/label><select id="col-0-4" name="col\.0\.4"><option value="">Bỏ qua<\/option>/)

    const chosen = await admin.text(await admin.post('/admin/directory/import', { ...carried, 'sheet.0': 'DS cán bộ', 'col.0.4': 'phone' }))
    expect(chosen).toContain('Sẽ ghi 0 đơn vị (0 mới, 0 cập nhật) và 1 cán bộ (1 mới, 0 cập nhật).')
    const done = await admin.post('/admin/directory/import/confirm', { ...carried, 'sheet.0': 'DS cán bộ', 'col.0.4': 'phone' })
    expect(await admin.text(done)).toContain('Đã ghi 0 đơn vị và 1 cán bộ từ lien-lac.xlsx.')
    const [lan] = (await (await h.api('/people')).json()).items
    expect((await (await h.api(`/people/${lan.id}/export`)).json()).person.phone).toBe('0912000111')
  })
})
