/** The app's own backup and its restore (src/domain/backup.ts, GET /api/backup, POST /api/backup/restore, `npm run cli -- restore`). */
export const backup = {
  vi: {
    errors: {
      notBackup: 'Tệp này không phải bản sao lưu của Loa (tải bằng GET /api/backup).',
      formatVersion: 'Bản sao lưu có định dạng phiên bản {version}, phiên bản này của Loa không đọc được.',
      schemaDiffers:
        'Bản sao lưu được tạo ở phiên bản cơ sở dữ liệu {file}, còn cơ sở dữ liệu này đang ở {here}. Hãy khôi phục vào Loa cùng phiên bản với bản sao lưu; chưa có gì bị thay đổi.',
      tablesDiffer: 'Các bảng trong bản sao lưu không khớp với cơ sở dữ liệu này ({tables}); chưa có gì bị thay đổi.',
      notEmpty:
        'Cơ sở dữ liệu này đã có {people} cán bộ; chưa có gì bị thay đổi. Để thay toàn bộ dữ liệu hiện có bằng bản sao lưu, gửi lại với ?replace=1 (dòng lệnh: --replace).',
      badJson: 'Dòng {line} của bản sao lưu không phải JSON. Các bảng trước dòng này đã được ghi; hãy khôi phục lại từ một tệp nguyên vẹn với ?replace=1.',
      badRow: 'Dòng {line} của bản sao lưu không khớp với các cột của bảng. Các bảng trước dòng này đã được ghi; hãy khôi phục lại từ một tệp nguyên vẹn với ?replace=1.',
      badMark: 'Dòng {line} của bản sao lưu không phải một dòng dữ liệu, cũng không mở một bảng có trong cơ sở dữ liệu. Các bảng trước dòng này đã được ghi; hãy khôi phục lại từ một tệp nguyên vẹn với ?replace=1.',
      badCounts: 'Dòng kết thúc (dòng {line}) đếm số dòng khác với số dòng đọc được của: {tables}. Hãy khôi phục lại từ một tệp nguyên vẹn với ?replace=1.',
      noRestoreUnderway: 'Không có lần khôi phục nào đang chờ phần tiếp theo của tệp này (mã tiếp tục sai, hoặc đã có lần khôi phục khác bắt đầu); hãy khôi phục lại từ đầu với ?replace=1.',
      refusedRows: 'Cơ sở dữ liệu không nhận các dòng của bảng {table} trong bản sao lưu (một dòng trỏ tới dòng không có, hoặc một khoá bị lặp). Các bảng trước đó đã được ghi; hãy khôi phục lại từ một tệp nguyên vẹn với ?replace=1.',
      truncated: 'Bản sao lưu bị cắt cụt (thiếu dòng kết thúc). Các bảng đã đọc được đã được ghi; hãy khôi phục lại từ một tệp nguyên vẹn với ?replace=1.',
    },
  },
  en: {
    errors: {
      notBackup: 'This file is not a Loa backup (made with GET /api/backup).',
      formatVersion: 'The backup is in format version {version}, which this version of Loa cannot read.',
      schemaDiffers:
        'The backup was made at database version {file}, and this database is at {here}. Restore into a Loa of the backup\'s version; nothing was changed.',
      tablesDiffer: 'The backup\'s tables do not match this database ({tables}); nothing was changed.',
      notEmpty: 'This database already holds {people} people; nothing was changed. To replace all it holds with the backup, send it again with ?replace=1 (command line: --replace).',
      badJson: 'Line {line} of the backup is not JSON. The tables before it were written; restore again from an intact file with ?replace=1.',
      badRow: 'Line {line} of the backup does not fit its table\'s columns. The tables before it were written; restore again from an intact file with ?replace=1.',
      badMark: 'Line {line} of the backup is neither a row nor the start of a table this database has. The tables before it were written; restore again from an intact file with ?replace=1.',
      badCounts: 'The end line (line {line}) counts other numbers of rows than were read for: {tables}. Restore again from an intact file with ?replace=1.',
      noRestoreUnderway: 'No restore is waiting for the next part of this file (a wrong continuation token, or another restore began since); restore again from the start with ?replace=1.',
      refusedRows: 'The database refuses rows of table {table} in the backup (a row pointing at a row that is not there, or a key twice). The tables before it were written; restore again from an intact file with ?replace=1.',
      truncated: 'The backup breaks off (its end line is missing). The tables read were written; restore again from an intact file with ?replace=1.',
    },
  },
}
