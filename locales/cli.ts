/** The command line (src/entry.cli.ts): Vietnamese unless run with --lang en. */
export const cli = {
  vi: {
    usage: `Cách dùng: npm run cli -- <lệnh> [--lang en]

  import TỆP [--dry-run]           nạp hoặc cập nhật đơn vị và cán bộ từ tệp .xlsx hoặc .csv (mỗi trang
                                   tính là bảng đơn vị hay bảng cán bộ tuỳ theo dòng tiêu đề); có dòng
                                   lỗi thì không ghi gì; --dry-run: chỉ kiểm tra, không ghi
  import units|people TỆP          như trên, coi mọi trang là bảng đơn vị (code, name, kind, parent_code,
                                   staff_count) hoặc bảng cán bộ (external_id, full_name, unit_code,
                                   roles, phone, locale)
  invites [--unit MÃ] --out TỆP.csv
                                   mã mời cho mọi người chưa liên kết (kể cả các đơn vị cấp dưới), để in;
                                   mã còn hạn được in lại thay vì cấp mã mới khi có TOKEN_ENCRYPTION_KEY
  links MÃ-CÁN-BỘ                  các cuộc trò chuyện đã liên kết của một cán bộ
  unlink MÃ-CÁN-BỘ MÃ-LIÊN-KẾT     huỷ một liên kết (cuộc trò chuyện đó được báo)
  confirm-link MÃ-CÁN-BỘ MÃ-LIÊN-KẾT
                                   xác nhận một liên kết: nhận mã đăng nhập bảng điều khiển ngay,
                                   không phải đợi một ngày
  run-job TÊN [--now THỜI-ĐIỂM]    chạy ngay một tác vụ định kỳ (tác vụ: {jobs})
  erase SỐ-CÁN-BỘ                  xoá dữ liệu cá nhân của một cán bộ (họ tên, số điện thoại, mã cán bộ,
                                   tài khoản chat, mã mời); các số liệu thống kê giữ nguyên
  zalo-oa connect                  in địa chỉ cấp quyền (OAuth v4) để kết nối Zalo OA của Sở
  zalo-oa status                   Zalo OA đã kết nối chưa, token còn hạn đến khi nào
  backup TỆP [--force]             sao lưu cơ sở dữ liệu vào TỆP, kể cả khi máy chủ đang chạy
  restore TỆP --url URL [--replace] khôi phục bản sao lưu (GET /api/backup) vào máy chủ ở URL (Node hoặc
                                   Workers), với mã quản trị trong LOA_TOKEN hoặc ADMIN_TOKEN`,
    start: {
      console: 'Bảng điều khiển: {url}',
      tokenGenerated:
        'Chưa đặt ADMIN_TOKEN nên Loa đã tạo một mã quản trị. Hãy lưu lại, mã sẽ không hiện lại lần nữa; dùng nó để đăng nhập bảng điều khiển lần đầu:',
    },
    database: 'Cơ sở dữ liệu: {path}',
    databaseChecked: 'Cơ sở dữ liệu (chỉ kiểm tra, không ghi): {path}',
    noFile: 'Không mở được tệp {file}.',
    imported: '{file}: đã ghi {units} đơn vị ({unitsNew} mới, {unitsUpdated} cập nhật) và {people} cán bộ ({peopleNew} mới, {peopleUpdated} cập nhật) trong {seconds} giây.',
    previewed: '{file}: chạy thử, chưa ghi gì. Sẽ ghi {units} đơn vị ({unitsNew} mới, {unitsUpdated} cập nhật) và {people} cán bộ ({peopleNew} mới, {peopleUpdated} cập nhật).',
    refused: '{file}: {count} dòng có lỗi; chưa có gì được ghi. Sửa các dòng sau rồi nạp lại:',
    problem: '  {message}',
    oa: {
      off: 'Zalo OA chưa bật: cần ZALO_OA_APP_ID, ZALO_OA_APP_SECRET, ZALO_OA_SECRET_KEY và TOKEN_ENCRYPTION_KEY.',
      noPublicUrl: 'Cần PUBLIC_URL (https://…) để Zalo gọi lại PUBLIC_URL/oauth/zalo-oa/callback sau khi cấp quyền.',
      connect: `Mở địa chỉ sau bằng tài khoản quản trị Zalo OA của Sở, rồi bấm "Cho phép" (hiệu lực 1 giờ, dùng 1 lần):

  {url}

Địa chỉ gọi lại {redirect} phải được khai báo trong cài đặt ứng dụng tại developers.zalo.me.`,
      connected: 'Zalo OA {account} đã kết nối. Access token hết hạn {access}; refresh token hết hạn {refresh}.',
      notConnected: 'Zalo OA chưa kết nối. Chạy: npm run cli -- zalo-oa connect',
      lastError: 'Lần làm mới token gần nhất bị lỗi: {error}',
    },
    loaded: '{file}: đã nạp {loaded}/{rows} {what} trong {seconds} giây.',
    units: 'đơn vị',
    people: 'cán bộ',
    line: '  dòng {line}: {message}',
    more: '  … và {count} dòng khác',
    wroteInvites: 'Đã ghi {count} mã mời vào {file} ({reused} mã còn hạn in lại, {fresh} mã mới).',
    wroteInvitesPersonal:
      '{count} người có quyền quản trị hoặc tài khoản bảng điều khiển không có mã trong tệp: quản trị viên cấp mã riêng cho họ (POST /api/people/<số>/invites).',
    outRequired: 'invites: cần --out TỆP.csv',
    badNow: '--now: "{value}" không phải ngày giờ, ví dụ 2026-06-08T08:00:00+07:00',
    unknownJob: 'Không có tác vụ "{name}". Các tác vụ: {jobs}',
    jobNowTooFar: 'Tác vụ {name} xoá dữ liệu nên không chạy được với --now quá 1 ngày sau hiện tại ({limit}).',
    notSaved: 'Cơ sở dữ liệu không lưu được thay đổi: {error}',
    badId: '"{value}" không phải mã số hợp lệ (số nguyên dương).',
    noPerson: 'Không có cán bộ số {id}.',
    noLink: 'Cán bộ số {id} không có liên kết số {linkId}.',
    linksTitle: 'Liên kết của {name} (cán bộ số {id}):',
    noLinks: '{name} (cán bộ số {id}) chưa liên kết cuộc trò chuyện nào.',
    linkLine: '  #{id}  {channel}  {chat}  liên kết lúc {linkedAt}  {state}',
    linkActive: 'đang hoạt động',
    linkBlocked: 'đã chặn bot từ {date}',
    linkConfirmed: 'Đã xác nhận liên kết #{linkId} ({channel} {chat}) của {name}: cuộc trò chuyện này nhận được mã đăng nhập bảng điều khiển ngay.',
    unlinked: 'Đã huỷ liên kết #{linkId} ({channel} {chat}) của {name}. Máy chủ sẽ báo cho cuộc trò chuyện đó khi gửi tin đi.',
    unlinkedAccess: 'Đã kết thúc {sessions} phiên bảng điều khiển của người này và thu hồi {tokens} mã API tạo từ khi cuộc trò chuyện đó được liên kết.',
    badPersonId: 'erase: "{value}" không phải số cán bộ (xem "id" trong GET /api/people).',
    erased:
      'Đã xoá dữ liệu cá nhân của cán bộ số {id}: gỡ {chats} tài khoản chat, thu hồi {invites} mã mời, huỷ {deliveries} tin chưa gửi, xoá nội dung {questions} câu hỏi. Số liệu thống kê giữ nguyên.',
    restore: {
      usage: 'Cách dùng: npm run restore -- TỆP --url https://loa.example.gov.vn [--replace] (mã quản trị trong LOA_TOKEN hoặc ADMIN_TOKEN)',
      noFile: 'Không có tệp {file}.',
      noToken: 'Cần mã quản trị: đặt LOA_TOKEN (mã API của một quản trị viên) hoặc ADMIN_TOKEN.',
      badUrl: 'Địa chỉ máy chủ không hợp lệ: {url}',
      refused: 'Máy chủ từ chối khôi phục (HTTP {status}): {message}',
      done: 'Đã khôi phục {file} vào {url}: {rows} dòng của {tables} bảng trong {seconds} giây; chỉ mục tìm kiếm đã dựng lại: {fts}.',
    },
    backup: {
      done: 'Đã sao lưu {source} vào {file}: {size} trong {seconds} giây.',
      fileRequired: 'backup: cần tên tệp sao lưu, ví dụ: npm run cli -- backup loa-2026-06-08.db',
      exists: '{file} đã có. Hãy chọn tên khác, hoặc thêm --force để ghi đè.',
      noSource: 'Không có cơ sở dữ liệu ở {file} (DATABASE_PATH).',
      noFolder: 'Không có thư mục {file}.',
      same: 'Tệp sao lưu không được trùng với chính cơ sở dữ liệu ({file}).',
      failed: 'Sao lưu không thành công, không có tệp nào được ghi: {error}',
    },
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

  import FILE [--dry-run]          load or update units and people from an .xlsx or .csv file (each sheet
                                   is a units or a people table, as its header row says); nothing is
                                   written if any row is bad; --dry-run: check only, write nothing
  import units|people FILE         the same, reading every sheet as units (code, name, kind, parent_code,
                                   staff_count) or as people (external_id, full_name, unit_code, roles,
                                   phone, locale)
  invites [--unit CODE] --out FILE.csv
                                   invite codes for everyone not yet linked (units below included), for
                                   printing; a still valid code is printed again instead of a new one
                                   when TOKEN_ENCRYPTION_KEY is set
  links PERSON-ID                  the chats a person has linked
  unlink PERSON-ID LINK-ID         revoke one link (that chat is told)
  confirm-link PERSON-ID LINK-ID   confirm one link: it gets console sign-in codes now, not after a day
  run-job NAME [--now ISO-TIME]    run a scheduled job now (jobs: {jobs})
  erase PERSON-ID                  erase one person's personal data (name, phone, staff ID, chats,
                                   invite codes); the figures stay as they are
  zalo-oa connect                  print the permission URL (OAuth v4) that connects the Department's Zalo OA
  zalo-oa status                   whether the Zalo OA is connected and until when its tokens are valid
  backup FILE [--force]            copy the database to FILE, also while the server runs
  restore FILE --url URL [--replace] restore a backup (GET /api/backup) into the server at URL (Node or
                                   Workers), with an admin's token in LOA_TOKEN or ADMIN_TOKEN`,
    start: {
      console: 'Console: {url}',
      tokenGenerated: 'ADMIN_TOKEN was not set, so one was generated. Keep it; it will not be shown again; sign in to the console with it:',
    },
    database: 'Database: {path}',
    databaseChecked: 'Database (checked only, not written): {path}',
    noFile: 'Cannot open the file {file}.',
    imported: '{file}: wrote {units} unit(s) ({unitsNew} new, {unitsUpdated} updated) and {people} people ({peopleNew} new, {peopleUpdated} updated) in {seconds} s.',
    previewed: '{file}: dry run, nothing written. Would write {units} unit(s) ({unitsNew} new, {unitsUpdated} updated) and {people} people ({peopleNew} new, {peopleUpdated} updated).',
    refused: '{file}: {count} row(s) have errors; nothing was written. Fix these rows and import again:',
    problem: '  {message}',
    oa: {
      off: 'The Zalo OA is off: set ZALO_OA_APP_ID, ZALO_OA_APP_SECRET, ZALO_OA_SECRET_KEY and TOKEN_ENCRYPTION_KEY.',
      noPublicUrl: 'PUBLIC_URL (https://…) is needed: Zalo calls PUBLIC_URL/oauth/zalo-oa/callback back after the permission is granted.',
      connect: `Open this address signed in as an admin of the Department's Zalo OA, then press "Allow" (valid for 1 hour, once):

  {url}

The callback {redirect} must be registered in the app's settings on developers.zalo.me.`,
      connected: 'Zalo OA {account} is connected. The access token expires {access}; the refresh token {refresh}.',
      notConnected: 'The Zalo OA is not connected. Run: npm run cli -- zalo-oa connect',
      lastError: 'The last token refresh failed: {error}',
    },
    loaded: '{file}: {loaded} of {rows} {what} loaded in {seconds} s.',
    units: 'units',
    people: 'people',
    line: '  line {line}: {message}',
    more: '  … and {count} more',
    wroteInvites: 'Wrote {count} invite code(s) to {file} ({reused} still valid, printed again; {fresh} new).',
    wroteInvitesPersonal:
      '{count} person(s) with the admin role or a console account have no code in the file: an administrator issues them a personal one (POST /api/people/<id>/invites).',
    outRequired: 'invites: --out FILE.csv is required',
    badNow: '--now: "{value}" is not a date and time such as 2026-06-08T08:00:00+07:00',
    unknownJob: 'Unknown job "{name}". Jobs: {jobs}',
    jobNowTooFar: 'The {name} job deletes data, so it cannot run with a --now more than one day ahead ({limit}).',
    notSaved: 'The database could not save the changes: {error}',
    badId: '"{value}" is not a valid id (a positive whole number).',
    noPerson: 'No person with id {id}.',
    noLink: 'Person {id} has no link with id {linkId}.',
    linksTitle: 'Links of {name} (person {id}):',
    noLinks: '{name} (person {id}) has no linked chat.',
    linkLine: '  #{id}  {channel}  {chat}  linked {linkedAt}  {state}',
    linkActive: 'active',
    linkBlocked: 'blocked the bot on {date}',
    linkConfirmed: 'Confirmed link #{linkId} ({channel} {chat}) of {name}: this chat gets console sign-in codes now.',
    unlinked: 'Revoked link #{linkId} ({channel} {chat}) of {name}. The server tells that chat when it sends its messages.',
    unlinkedAccess: "Ended {sessions} console session(s) of this person and revoked {tokens} API token(s) created since that chat was linked.",
    badPersonId: 'erase: "{value}" is not a person id (see "id" in GET /api/people).',
    erased:
      "Erased person {id}'s personal data: {chats} chat(s) unlinked, {invites} invite code(s) revoked, {deliveries} unsent message(s) cancelled, {questions} question text(s) removed. The figures stay as they are.",
    restore: {
      usage: 'Usage: npm run restore -- FILE --url https://loa.example.gov.vn [--replace] (an admin token in LOA_TOKEN or ADMIN_TOKEN)',
      noFile: 'There is no file {file}.',
      noToken: 'An admin token is needed: set LOA_TOKEN (an admin\'s API token) or ADMIN_TOKEN.',
      badUrl: 'Not a valid server address: {url}',
      refused: 'The server refused the restore (HTTP {status}): {message}',
      done: 'Restored {file} into {url}: {rows} rows of {tables} tables in {seconds} s; search indexes rebuilt: {fts}.',
    },
    backup: {
      done: 'Backed up {source} to {file}: {size} in {seconds} s.',
      fileRequired: 'backup: name the backup file, for example: npm run cli -- backup loa-2026-06-08.db',
      exists: '{file} already exists. Choose another name, or add --force to overwrite it.',
      noSource: 'There is no database at {file} (DATABASE_PATH).',
      noFolder: 'The folder {file} does not exist.',
      same: 'The backup file cannot be the database itself ({file}).',
      failed: 'The backup failed; no file was written: {error}',
    },
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
