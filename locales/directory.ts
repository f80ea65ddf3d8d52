/**
 * The directory: importing units and people from Excel or CSV (API, CLI and console alike),
 * editing units, the "not linked yet" summary and the invite sheet.
 */
export const directory = {
  vi: {
    import: {
      emptyFile: 'Tệp {file} trống.',
      oldExcel: 'Tệp {file} là định dạng Excel cũ (.xls). Hãy mở bằng Excel và lưu lại dạng .xlsx (Sổ làm việc Excel) hoặc CSV.',
      badXlsx: 'Không đọc được {file} như một bảng tính .xlsx. Hãy lưu lại bằng Excel dạng .xlsx hoặc CSV.',
      badCsv: 'Không đọc được {file} như tệp CSV: dấu ngoặc kép không khớp gần dòng {line}.',
      tooManyRows: 'Tệp có hơn {max} dòng; hãy chia thành nhiều tệp.',
      tooLarge: 'Tệp {file} giải nén ra hơn {max} MB; hãy chia thành nhiều tệp hoặc xoá các trang tính không cần.',
      noTable:
        'Không nhận ra bảng đơn vị hay bảng cán bộ trong {file}. Bảng đơn vị cần các cột "Mã đơn vị", "Tên đơn vị", "Loại"; bảng cán bộ cần các cột "Họ và tên", "Đơn vị" (mã hoặc tên). Dòng tiêu đề cột có thể nằm dưới vài dòng tên cơ quan, tên danh sách.',
      noFile: 'Chưa có tệp: gửi tệp .xlsx hoặc .csv (trường "file" của biểu mẫu, hoặc chính nội dung yêu cầu).',
      refused: '{count} dòng có lỗi; chưa có gì được ghi. Sửa các dòng đó rồi nạp lại.',
      at: 'Dòng {row}',
      atColumn: 'Dòng {row}, cột "{column}"',
      atSheet: 'Trang "{sheet}", dòng {row}',
      atSheetColumn: 'Trang "{sheet}", dòng {row}, cột "{column}"',
      empty: 'đang để trống',
      invalid: 'không hợp lệ: {why}',
      badKind: '"{value}" không phải loại đơn vị; dùng một trong: Sở, Phường, Xã, Trường, Báo chí, Khác',
      notCount: '"{value}" không phải số người (số nguyên từ 0)',
      badRole:
        '"{value}" không phải vai trò; dùng: giáo viên, quản lý (hiệu trưởng, phó hiệu trưởng), đầu mối truyền thông, cán bộ truyền thông, quản trị (nhiều vai trò cách nhau bằng dấu ;)',
      badLocale: '"{value}" không phải ngôn ngữ; dùng vi hoặc en',
      badPhone: '"{value}" không phải số điện thoại Việt Nam, ví dụ 0912345678',
      unknownUnit: 'không có đơn vị nào mã hoặc tên "{value}"',
      ambiguousUnit: 'có nhiều đơn vị tên "{value}": {candidates}; hãy ghi mã đơn vị',
      missing: {
        code: 'thiếu cột "Mã đơn vị" (code)',
        name: 'thiếu cột "Tên đơn vị" (name)',
        kind: 'thiếu cột "Loại" (kind)',
        fullName: 'thiếu cột "Họ và tên" (full_name)',
        unitCode: 'thiếu cột "Đơn vị" (mã hoặc tên đơn vị, unit_code)',
      },
    },
    units: {
      hasPeople: 'Đơn vị {code} còn {count} cán bộ trong danh bạ (kể cả người đã xoá dữ liệu, giữ để thống kê); hãy chuyển họ sang đơn vị khác trước.',
      hasChildren: 'Đơn vị {code} còn {count} đơn vị cấp dưới ({children}); hãy chuyển hoặc xoá chúng trước.',
      hasRecords: 'Đơn vị {code} đã có báo cáo hoặc số liệu gắn với nó nên không xoá được.',
      codeTaken: 'Mã đơn vị {code} đã có.',
    },
    sheet: {
      telegram: 'Telegram: quét mã QR hoặc mở {link}, rồi bấm Bắt đầu (Start).',
      telegramOff: 'Telegram: chưa bật.',
      zalo: 'Zalo: mở trò chuyện với tài khoản Zalo của Sở, rồi gửi một tin nhắn chỉ gồm mã {code}.',
      zaloOff: 'Zalo: chưa bật.',
      personal:
        'Không in mã cho người này: tài khoản có quyền quản trị hoặc có tài khoản bảng điều khiển chỉ liên kết được bằng mã riêng do quản trị viên cấp cho họ (trang của người này trong Danh bạ: «Cấp mã riêng», hoặc POST /api/people/{id}/invites), dùng trong vòng 24 giờ.',
    },
  },
  en: {
    import: {
      emptyFile: 'The file {file} is empty.',
      oldExcel: 'The file {file} is in the old Excel format (.xls). Open it in Excel and save it as .xlsx (Excel Workbook) or CSV.',
      badXlsx: 'Could not read {file} as an .xlsx workbook. Save it again from Excel as .xlsx or CSV.',
      badCsv: 'Could not read {file} as CSV: unmatched quotes near line {line}.',
      tooManyRows: 'The file has more than {max} rows; split it into several files.',
      tooLarge: 'The file {file} inflates to more than {max} MB; split it into several files or remove the sheets not needed.',
      noTable:
        'No units or people table found in {file}. A units table needs the columns "code", "name", "kind"; a people table needs "full_name", "unit_code" (Đơn vị: code or name). The header row may sit below a few title rows.',
      noFile: 'No file: send an .xlsx or .csv file (the form field "file", or the request body itself).',
      refused: '{count} row(s) have errors; nothing was written. Fix those rows and import again.',
      at: 'Row {row}',
      atColumn: 'Row {row}, column "{column}"',
      atSheet: 'Sheet "{sheet}", row {row}',
      atSheetColumn: 'Sheet "{sheet}", row {row}, column "{column}"',
      empty: 'is empty',
      invalid: 'is not valid: {why}',
      badKind: '"{value}" is not a unit kind; use one of: department, commune, school, press, other',
      notCount: '"{value}" is not a head count (a whole number from 0)',
      badRole:
        '"{value}" is not a role; use: teacher (giáo viên), manager (hiệu trưởng, phó hiệu trưởng), focal point (đầu mối truyền thông), comms staff (cán bộ truyền thông), admin (several separated by ;)',
      badLocale: '"{value}" is not a language; use vi or en',
      badPhone: '"{value}" is not a Vietnamese phone number such as 0912345678',
      unknownUnit: 'no unit has the code or the name "{value}"',
      ambiguousUnit: 'several units are named "{value}": {candidates}; write the unit\'s code',
      missing: {
        code: 'the column "code" (Mã đơn vị) is missing',
        name: 'the column "name" (Tên đơn vị) is missing',
        kind: 'the column "kind" (Loại) is missing',
        fullName: 'the column "full_name" (Họ và tên) is missing',
        unitCode: 'the column "unit_code" (Đơn vị: the unit\'s code or name) is missing',
      },
    },
    units: {
      hasPeople: 'Unit {code} still has {count} people in the directory (erased people included, kept for the figures); move them to another unit first.',
      hasChildren: 'Unit {code} still has {count} units below it ({children}); move or remove them first.',
      hasRecords: 'Unit {code} has reports or figures attached to it and cannot be removed.',
      codeTaken: 'The unit code {code} already exists.',
    },
    sheet: {
      telegram: 'Telegram: scan the QR code or open {link}, then press Start.',
      telegramOff: 'Telegram: not enabled.',
      zalo: "Zalo: open a chat with the Department's Zalo account and send a message with only the code {code}.",
      zaloOff: 'Zalo: not enabled.',
      personal:
        "No code is printed for this person: accounts with the admin role or a console account are linked only with a personal code an administrator issues for them (their page in the Directory: “Issue a personal code”, or POST /api/people/{id}/invites), used within 24 hours.",
    },
  },
}
