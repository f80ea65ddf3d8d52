import { glossary } from './glossary.js'
import { page } from './page.js'
import { publicLink } from './public-link.js'
import { report } from './report.js'
import { checkin } from './checkin.js'
import { quiz } from './quiz.js'
import { poll } from './poll.js'
import { misinfo } from './misinfo.js'
import { broadcast } from './broadcast.js'
import { api } from './api.js'
import { cli } from './cli.js'
import { ask } from './ask.js'
import { subscribers } from './subscribers.js'
import { consoleInbox, inbox } from './inbox.js'
import { link } from './link.js'
import { directory } from './directory.js'
import { consoleDirectory } from './console-directory.js'
import { web } from './web.js'
import { summary } from './summary.js'
import { consoleReach } from './console-reach.js'
import { consoleContent } from './console-content.js'
import { consolePeriods, consoleQuestions } from './console-periods.js'
import { consoleMisinfo, misinfoPage, misinfoSheet } from './misinfo-web.js'
import { relay } from './relay.js'
import { consoleAuth } from './console-auth.js'
import { consoleOverview } from './console-overview.js'
import { channels } from './channels.js'
import { consoleChannels } from './console-channels.js'
import { calendar } from './calendar.js'
import { library } from './library.js'
import { libraryWeb } from './library-web.js'
import { consoleSuggest, lookup } from './lookup.js'
import { exportsText } from './exports.js'
import { criteria } from './criteria.js'
import { results } from './results.js'
import { backup } from './backup.js'

/**
 * Vietnamese: the source of every key. Placeholders are written {name}. One section a feature or a
 * surface: the chat features (handlers/start.ts ↔ start.*), and the console, API, CLI and pages.
 */
export const vi = {
  checkin: checkin.vi,
  quiz: quiz.vi,
  poll: poll.vi,
  misinfo: misinfo.vi,
  common: {
    error: 'Xin lỗi, hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.',
    unknown: 'Tôi chưa hiểu tin nhắn này. Gửi /huongdan để xem các lệnh có thể dùng.',
    notLinked:
      'Tài khoản chat này chưa được liên kết với danh bạ của Sở GD&ĐT. Vui lòng gửi mã mời do đơn vị cung cấp, ví dụ: K7M4-Q2XP',
    groupOnly: 'Vui lòng nhắn riêng cho bot để sử dụng chức năng này.',
    flowExpired: 'Cuộc trò chuyện trước đã hết hạn sau một ngày không trả lời, nên đã được huỷ. Bạn có thể bắt đầu lại.',
    cancelled: 'Đã huỷ.',
    nothingToCancel: 'Không có thao tác nào đang chờ để huỷ.',
    yes: 'Đồng ý',
    no: 'Không',
    choiceHintZalo: 'Trả lời bằng số thứ tự (1, 2, …) hoặc nội dung lựa chọn.',
    unsupported: 'Bot chỉ đọc được tin nhắn chữ. Vui lòng gõ câu trả lời.',
    slowDown:
      'Bạn đang gửi quá nhiều tin nhắn trong một phút. Các tin vẫn được ghi nhận, nhưng bot sẽ trả lời lại sau khi hết phút này. Xin chậm lại một chút.',
  },
  start: {
    welcome:
      'Xin chào {name}! Tài khoản {channel} của bạn đã được liên kết với {unit}.\nTừ nay bạn sẽ nhận thông tin chính thức về Nghị quyết 71-NQ/TW qua kênh này.',
    welcomeBack: 'Chào {name}, tài khoản này đã được liên kết với {unit}.',
    askCode:
      'Chào bạn! Để nhận thông tin về Nghị quyết 71, vui lòng gửi mã mời do đơn vị cung cấp, ví dụ: /start K7M4-Q2XP',
    codeInvalid: 'Mã mời "{code}" không đúng. Vui lòng kiểm tra lại (mã gồm 8 ký tự, ví dụ K7M4-Q2XP) hoặc liên hệ đầu mối truyền thông của đơn vị.',
    tooManyTries: 'Bạn đã nhập sai mã mời quá nhiều lần. Vui lòng thử lại sau {time}, hoặc liên hệ đầu mối truyền thông của đơn vị để được hỗ trợ.',
    codeUsed:
      'Mã mời này đã được sử dụng để liên kết một cuộc trò chuyện khác; mỗi mã chỉ liên kết được một lần. Không có gì thay đổi. Nếu đây là mã của bạn, hãy gửi /lienket từ cuộc trò chuyện đã liên kết để nhận mã mới, hoặc xin mã mới từ đơn vị.',
    adminCodeRequired:
      'Mã này không liên kết được tài khoản có quyền quản trị hoặc có tài khoản bảng điều khiển. Những tài khoản này chỉ liên kết được bằng mã do quản trị viên cấp riêng trong vòng 24 giờ qua; mã trong danh sách in, mã lấy bằng /lienket và mã cũ hơn đều không dùng được. Không có gì thay đổi. Vui lòng nhờ một quản trị viên cấp mã mới.',
    codeExpired: 'Mã mời này đã hết hạn ngày {date}. Vui lòng xin mã mới từ đơn vị.',
    codeSuperseded:
      'Mã mời này không còn dùng được: tài khoản đã liên kết một cuộc trò chuyện sau khi mã được cấp, nên mọi mã cấp trước đó đều hết hiệu lực. Không có gì thay đổi. Để liên kết thêm, hãy gửi /lienket từ cuộc trò chuyện đã liên kết, hoặc nhờ quản trị viên cấp mã mới.',
    chatTaken: 'Tài khoản chat này đã được liên kết với một người khác ({name}). Vui lòng liên hệ quản trị viên nếu cần thay đổi.',
    privateOnly: 'Vui lòng nhắn riêng cho bot để liên kết tài khoản, không gửi mã mời trong nhóm.',
  },
  help: {
    title: 'Các lệnh có thể dùng:',
    start: '/start <mã> — liên kết tài khoản bằng mã mời',
    help: '/huongdan — xem hướng dẫn này',
    language: '/ngonngu — đổi ngôn ngữ (Tiếng Việt / English)',
    cancel: '/huy — huỷ thao tác đang làm dở',
    zaloNote: 'Trên Zalo có thể gõ lệnh không cần dấu "/", có dấu hoặc không dấu đều được, ví dụ: hướng dẫn, báo cáo, kiểm tra.',
    linkedAs: 'Bạn đang dùng với tư cách: {name} — {unit}.',
  },
  language: {
    ask: 'Chọn ngôn ngữ / Choose a language:',
    changed: 'Đã chuyển sang Tiếng Việt.',
    vi: 'Tiếng Việt',
    en: 'English',
  },
  report: report.vi,
  channel: glossary.vi.channels,
  broadcast: broadcast.vi,
  page: page.vi,
  publicLink: publicLink.vi,
  api: api.vi,
  web: web.vi,
  summary: summary.vi,
  consoleReach: consoleReach.vi,
  consoleContent: consoleContent.vi,
  consolePeriods: consolePeriods.vi,
  exports: exportsText.vi,
  criteria: criteria.vi,
  results: results.vi,
  backup: backup.vi,
  consoleQuestions: consoleQuestions.vi,
  consoleMisinfo: consoleMisinfo.vi,
  misinfoPage: misinfoPage.vi,
  misinfoSheet: misinfoSheet.vi,
  consoleAuth: consoleAuth.vi,
  consoleOverview: consoleOverview.vi,
  cli: cli.vi,
  ask: ask.vi,
  subscribers: subscribers.vi,
  inbox: inbox.vi,
  consoleInbox: consoleInbox.vi,
  link: link.vi,
  relay: relay.vi,
  directory: directory.vi,
  consoleDirectory: consoleDirectory.vi,
  channels: channels.vi,
  consoleChannels: consoleChannels.vi,
  calendar: calendar.vi,
  library: library.vi,
  libraryWeb: libraryWeb.vi,
  lookup: lookup.vi,
  consoleSuggest: consoleSuggest.vi,
} as const

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
/** The shape every locale must have: the same keys as Vietnamese, any text. */
export type Catalog = Widen<typeof vi>
