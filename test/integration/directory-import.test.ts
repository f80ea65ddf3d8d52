import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startHarness, type Harness } from '../helpers/harness.js'
import { uploadSheet, windows1258, workbook } from '../helpers/sheets.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

const upload = (path: string, bytes: Uint8Array | string, name: string, lang = 'vi') => uploadSheet(h, path, bytes, name, lang)

const count = async (path: string) => (await (await h.api(path)).json()).total as number

// Excel on a Vietnamese Windows: "CSV (Comma delimited)" is separated by semicolons, in Windows-1258.
const unitsCsv = [
  'Mã đơn vị;Tên đơn vị;Loại;Mã đơn vị cấp trên;Số cán bộ',
  'SGDDT;Sở Giáo dục và Đào tạo;Sở;;120',
  'P-NINHKIEU;Phường Ninh Kiều;Phường;SGDDT;35',
  'TH-NK;"Trường Tiểu học Ninh Kiều; điểm chính";Trường;P-NINHKIEU;48',
  'THCS-LOI;Trường Trung học cơ sở Lỗi;bệnh viện;SGDDT;ba mươi',
  'ORPHAN;Trường mồ côi;Trường;KHONG-CO;10',
].join('\r\n')

describe('import preview and import (POST /api/import/preview, POST /api/import)', () => {
  it('reads a semicolon Windows-1258 CSV, names each bad row in Vietnamese, and writes nothing', async () => {
    const bytes = windows1258(unitsCsv)
    // The file really is Windows-1258 with separate tone marks: "Lỗi" is not valid UTF-8.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow()

    const preview = await upload('/import/preview', bytes, 'don-vi.csv')
    expect(preview.status).toBe(200)
    expect(preview.body.file).toMatchObject({ format: 'csv', encoding: 'windows-1258', delimiter: ';' })
    expect(preview.body.written).toBe(false)
    expect(preview.body.problems.map((p: any) => p.message)).toEqual([
      'Dòng 5, cột "Loại": "bệnh viện" không phải loại đơn vị; dùng một trong: Sở, Phường, Xã, Trường, Báo chí, Khác',
      'Dòng 5, cột "Số cán bộ": "ba mươi" không phải số người (số nguyên từ 0)',
      'Dòng 6, cột "Mã đơn vị cấp trên": không có đơn vị cấp trên mã KHONG-CO',
    ])
    expect(preview.body.badRows).toBe(2)
    // The good rows are shown as they would be written, names in NFC as typed.
    expect(preview.body.units.items.find((u: any) => u.code === 'TH-NK')).toMatchObject({
      row: 4,
      action: 'create',
      name: 'Trường Tiểu học Ninh Kiều; điểm chính',
      kind: 'school',
      parentCode: 'P-NINHKIEU',
      staffCount: 48,
    })
    expect(preview.body.units.items[0].name).toBe('Sở Giáo dục và Đào tạo'.normalize('NFC'))

    const refused = await upload('/import', bytes, 'don-vi.csv')
    expect(refused.status).toBe(422)
    expect(refused.body.error.message).toBe('2 dòng có lỗi; chưa có gì được ghi. Sửa các dòng đó rồi nạp lại.')
    expect(refused.body.error.details).toHaveLength(3)
    expect(refused.body.error.details[2]).toMatchObject({ row: 6, column: 'Mã đơn vị cấp trên', value: 'KHONG-CO' })
    expect(await count('/units')).toBe(0)

    // Fixed, the same file imports; the names are stored in NFC ("Lỗi", not "Lô" + a combining tilde).
    const fixed = windows1258(unitsCsv.replace('bệnh viện;SGDDT;ba mươi', 'Trường;SGDDT;30').replace('KHONG-CO', 'P-NINHKIEU'))
    const done = await upload('/import', fixed, 'don-vi.csv')
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({ written: true, units: { create: 5, update: 0 }, problems: [] })
    const units = (await (await h.api('/units')).json()).items
    expect(units.find((u: any) => u.code === 'THCS-LOI').name).toBe('Trường Trung học cơ sở Lỗi')
    expect(units.find((u: any) => u.code === 'THCS-LOI').name).toBe('Trường Trung học cơ sở Lỗi'.normalize('NFC'))

    // Importing again is an update, said so in the preview.
    const again = await upload('/import/preview', fixed, 'don-vi.csv')
    expect(again.body.units).toMatchObject({ create: 0, update: 5 })
  })

  it('reads an .xlsx workbook with a units sheet and a people sheet, in one atomic step', async () => {
    const file = await workbook({
      'Hướng dẫn': [['Điền các trang Đơn vị và Cán bộ']],
      'Đơn vị': [
        ['Mã đơn vị', 'Tên đơn vị', 'Loại', 'Mã đơn vị cấp trên', 'Số cán bộ'],
        ['SGDDT', 'Sở GD&ĐT Cần Thơ', 'Sở', null, 120],
        ['THCS-AB', 'Trường THCS An Bình', 'Trường', 'SGDDT', 40],
      ],
      'Cán bộ': [
        ['Mã cán bộ', 'Họ và tên', 'Mã đơn vị', 'Vai trò', 'Số điện thoại'],
        // Excel keeps a phone typed in a number cell without its leading zero.
        ['GV1', 'Nguyễn Thị Ánh', 'THCS-AB', 'giáo viên; đầu mối', 912345678],
        ['GV2', 'Lê Văn Bình', 'KHONG', 'giáo viên', null],
        ['GV3', 'Trần Thị Cúc', 'THCS-AB', 'đầu bếp', '123'],
        [null, null, null, null, null],
        ['GV4', null, 'THCS-AB', 'quản lý', null],
      ],
    })
    const preview = await upload('/import/preview', file, 'danh-ba.xlsx')
    expect(preview.status).toBe(200)
    expect(preview.body.file.sheets).toMatchObject([
      { name: 'Hướng dẫn', kind: null, rows: 0 },
      { name: 'Đơn vị', kind: 'units', rows: 2 },
      { name: 'Cán bộ', kind: 'people', rows: 4 },
    ])
    expect(preview.body.problems.map((p: any) => p.message)).toEqual([
      'Trang "Cán bộ", dòng 3, cột "Mã đơn vị": không có đơn vị nào mã hoặc tên "KHONG"',
      'Trang "Cán bộ", dòng 4, cột "Vai trò": "đầu bếp" không phải vai trò; dùng: giáo viên, quản lý (hiệu trưởng, phó hiệu trưởng), đầu mối truyền thông, cán bộ truyền thông, quản trị (nhiều vai trò cách nhau bằng dấu ;)',
      'Trang "Cán bộ", dòng 4, cột "Số điện thoại": "123" không phải số điện thoại Việt Nam, ví dụ 0912345678',
      'Trang "Cán bộ", dòng 6, cột "Họ và tên": đang để trống',
    ])
    // People may name a unit of the same file: GV1's unit THCS-AB is created by the units sheet.
    expect(preview.body.people.items[0]).toMatchObject({ row: 2, action: 'create', fullName: 'Nguyễn Thị Ánh', unitCode: 'THCS-AB', roles: ['teacher', 'focal_point'], hasPhone: true })
    expect((await upload('/import', file, 'danh-ba.xlsx')).status).toBe(422)
    expect(await count('/units')).toBe(0)

    const en = await upload('/import/preview', file, 'danh-ba.xlsx', 'en')
    expect(en.body.problems[0].message).toBe('Sheet "Cán bộ", row 3, column "Mã đơn vị": no unit has the code or the name "KHONG"')

    const good = await workbook({
      'Đơn vị': [['Mã đơn vị', 'Tên đơn vị', 'Loại', 'Mã đơn vị cấp trên'], ['SGDDT', 'Sở GD&ĐT Cần Thơ', 'Sở', null], ['THCS-AB', 'Trường THCS An Bình', 'Trường', 'SGDDT']],
      'Cán bộ': [['Mã cán bộ', 'Họ và tên', 'Mã đơn vị', 'Vai trò', 'Số điện thoại'], ['GV1', 'Nguyễn Thị Ánh', 'THCS-AB', 'giáo viên; đầu mối', 912345678]],
    })
    const done = await upload('/import', good, 'danh-ba.xlsx')
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({ written: true, units: { create: 2 }, people: { create: 1 } })
    const people = (await (await h.api('/people?unit=SGDDT')).json()).items
    expect(people).toEqual([expect.objectContaining({ externalId: 'GV1', fullName: 'Nguyễn Thị Ánh', unitCode: 'THCS-AB', hasPhone: true })])
    const exported = await (await h.api(`/people/${people[0].id}/export`)).json()
    expect(JSON.stringify(exported)).toContain('0912345678')
  })

  it('takes UTF-8 with a BOM and commas, and the raw file as the request body', async () => {
    const csv = '\uFEFFcode,name,kind,parent_code\nSGDDT,Sở GD&ĐT,department,\nP-AB,"Phường An Bình, Ninh Kiều",commune,SGDDT\n'
    const res = await h.app.request('/api/import?filename=units.csv', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      body: csv,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ file: { encoding: 'utf-8', delimiter: ',' }, units: { create: 2 } })
    const units = (await (await h.api('/units')).json()).items
    expect(units.find((u: any) => u.code === 'P-AB').name).toBe('Phường An Bình, Ninh Kiều')
    // ?dryRun=1 on the import route is the same preview.
    const dry = await h.app.request('/api/import?dryRun=1', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: csv })
    expect(await dry.json()).toMatchObject({ dryRun: true, written: false, units: { update: 2 } })
  })

  it('explains an unreadable file instead of failing', async () => {
    const notXlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5])
    const broken = await upload('/import/preview', notXlsx, 'hong.xlsx')
    expect(broken.status).toBe(422)
    expect(broken.body.error.message).toBe('Không đọc được hong.xlsx như một bảng tính .xlsx. Hãy lưu lại bằng Excel dạng .xlsx hoặc CSV.')
    const xls = await upload('/import/preview', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'cu.xls')
    expect(xls.body.error.message).toContain('định dạng Excel cũ (.xls)')
    const other = await upload('/import/preview', 'a;b;c\n1;2;3\n', 'khac.csv')
    expect(other.status).toBe(422)
    expect(other.body.error.message).toContain('Không nhận ra bảng đơn vị hay bảng cán bộ trong khac.csv')
    const none = await h.app.request('/api/import/preview', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(none.status).toBe(400)
    const forced = await upload('/import/preview?what=people', 'Mã;Tên\n1;2\n', 'x.csv')
    expect(forced.body.problems.map((p: any) => p.message)).toEqual(['Dòng 1: thiếu cột "Họ và tên" (full_name)', 'Dòng 1: thiếu cột "Đơn vị" (mã hoặc tên đơn vị, unit_code)'])
    expect((await h.app.request('/api/import/preview', { method: 'POST', body: 'x' })).status).toBe(401)
  })
})
