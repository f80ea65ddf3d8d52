import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../helpers/harness.js'
import { uploadSheet, workbook } from '../helpers/sheets.js'

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
})
