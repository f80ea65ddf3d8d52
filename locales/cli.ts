/** The command line (src/entry.cli.ts): Vietnamese unless run with --lang en. */
export const cli = {
  vi: {
    usage: `Cách dùng: npm run cli -- <lệnh> [--lang en]

  import units TỆP.csv             nạp hoặc cập nhật đơn vị (code, name, kind, parent_code, staff_count)
  import people TỆP.csv            nạp hoặc cập nhật cán bộ (external_id, full_name, unit_code, roles, phone, locale)
  invites [--unit MÃ] --out TỆP.csv
                                   mã mời mới cho mọi người chưa liên kết, để in
  run-job TÊN [--now THỜI-ĐIỂM]    chạy ngay một tác vụ định kỳ (tác vụ: {jobs})`,
    loaded: '{file}: đã nạp {loaded}/{rows} {what} trong {seconds} giây.',
    units: 'đơn vị',
    people: 'cán bộ',
    line: '  dòng {line}: {message}',
    more: '  … và {count} dòng khác',
    wroteInvites: 'Đã ghi {count} mã mời vào {file}.',
    outRequired: 'invites: cần --out TỆP.csv',
    badNow: '--now: "{value}" không phải ngày giờ, ví dụ 2026-06-08T08:00:00+07:00',
    unknownJob: 'Không có tác vụ "{name}". Các tác vụ: {jobs}',
    jobNowTooFar: 'Tác vụ {name} xoá dữ liệu nên không chạy được với --now quá 1 ngày sau hiện tại ({limit}).',
    notSaved: 'Cơ sở dữ liệu không lưu được thay đổi: {error}',
    sheet: {
      unitCode: 'Mã đơn vị',
      unitName: 'Tên đơn vị',
      externalId: 'Mã cán bộ',
      fullName: 'Họ và tên',
      inviteCode: 'Mã mời',
      telegramLink: 'Liên kết Telegram',
      expiresOn: 'Hết hạn',
    },
  },
  en: {
    usage: `Usage: npm run cli -- <command> [--lang en]

  import units FILE.csv            load or update units (code, name, kind, parent_code, staff_count)
  import people FILE.csv           load or update people (external_id, full_name, unit_code, roles, phone, locale)
  invites [--unit CODE] --out FILE.csv
                                   new invite codes for everyone not yet linked to a chat, for printing
  run-job NAME [--now ISO-TIME]    run a scheduled job now (jobs: {jobs})`,
    loaded: '{file}: {loaded} of {rows} {what} loaded in {seconds} s.',
    units: 'units',
    people: 'people',
    line: '  line {line}: {message}',
    more: '  … and {count} more',
    wroteInvites: 'Wrote {count} invite code(s) to {file}.',
    outRequired: 'invites: --out FILE.csv is required',
    badNow: '--now: "{value}" is not a date and time such as 2026-06-08T08:00:00+07:00',
    unknownJob: 'Unknown job "{name}". Jobs: {jobs}',
    jobNowTooFar: 'The {name} job deletes data, so it cannot run with a --now more than one day ahead ({limit}).',
    notSaved: 'The database could not save the changes: {error}',
    sheet: {
      unitCode: 'Unit code',
      unitName: 'Unit name',
      externalId: 'Staff ID',
      fullName: 'Full name',
      inviteCode: 'Invite code',
      telegramLink: 'Telegram link',
      expiresOn: 'Expires on',
    },
  },
}
