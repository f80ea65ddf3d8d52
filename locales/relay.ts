/**
 * Relay through school groups (handlers/relay.ts, src/domain/broadcast/relay.ts): the
 * forward-ready copy of a brief a focal point pastes into their unit's Zalo or Telegram group,
 * how to confirm it ("đã chuyển"), the answers, and the next morning's reminder.
 */
export const relay = {
  vi: {
    readFull: 'Xem toàn văn: {link}',
    source: 'Nguồn: Sở GD&ĐT',
    how: 'Bạn là đầu mối truyền thông của {unit}. Vui lòng chuyển tiếp (hoặc sao chép) tin nhắn ngay phía trên vào nhóm Zalo hoặc Telegram của đơn vị, để cả những đồng nghiệp chưa liên kết với bot cũng nhận được bản tin "{title}".',
    confirmTelegram: 'Chuyển xong, bấm "Đã chuyển vào nhóm" bên dưới (hoặc trả lời "đã chuyển").',
    confirmZalo: 'Chuyển xong, vui lòng trả lời: đã chuyển',
    button: 'Đã chuyển vào nhóm',
    confirmed: 'Cảm ơn bạn! Đã ghi nhận bạn chuyển bản tin "{title}" vào nhóm của {unit} lúc {time}.',
    confirmedLatest: 'Bạn có nhiều bản tin chờ chuyển; lời xác nhận này được tính cho bản tin gửi bạn gần đây nhất: "{title}".',
    stillPending:
      'Còn {count} bản tin chưa xác nhận chuyển, tiếp theo là "{title}". Sau khi chuyển bản tin đó vào nhóm, trả lời "đã chuyển" thêm một lần nữa.',
    already: 'Bạn đã xác nhận chuyển bản tin "{title}" vào nhóm lúc {time} rồi, không cần xác nhận lại.',
    nothing:
      'Hiện không có bản tin nào chờ bạn chuyển vào nhóm. Khi Sở gửi bản tin mới, đầu mối truyền thông của mỗi đơn vị nhận một tin nhắn soạn sẵn để chuyển vào nhóm Zalo hoặc Telegram của đơn vị, rồi trả lời "đã chuyển".',
    unknown: 'Không tìm thấy bản tin này trong các bản tin gửi bạn để chuyển vào nhóm.',
    cancelled: 'Bản tin "{title}" đã bị huỷ, không cần chuyển vào nhóm nữa.',
    reminder:
      'Nhắc: bản tin "{title}" gửi ngày {date} chưa được chuyển vào nhóm của {unit}. Tin nhắn soạn sẵn ở ngay phía trên; vui lòng chuyển tiếp (hoặc sao chép) vào nhóm Zalo hoặc Telegram của đơn vị.',
    help: 'đã chuyển — xác nhận đã chuyển bản tin mới nhất vào nhóm của đơn vị (đầu mối truyền thông)',
  },
  en: {
    readFull: 'Read it in full: {link}',
    source: 'Source: Department of Education and Training',
    how: 'You are the communications focal point of {unit}. Please forward (or copy) the message just above into your unit\'s Zalo or Telegram group, so that colleagues who have not linked the bot also get the brief "{title}".',
    confirmTelegram: 'When done, press "Relayed to the group" below (or reply "relayed").',
    confirmZalo: 'When done, please reply: relayed',
    button: 'Relayed to the group',
    confirmed: 'Thank you! We recorded that you relayed "{title}" to the group of {unit} at {time}.',
    confirmedLatest: 'You have several briefs waiting to be relayed; this confirmation counts for the one sent to you most recently: "{title}".',
    stillPending:
      '{count} more brief(s) are not confirmed yet, the next being "{title}". Once you have relayed it to the group, reply "relayed" once more.',
    already: 'You already confirmed relaying "{title}" to the group at {time}; no need to confirm again.',
    nothing:
      'You have no brief waiting to be relayed to a group. When the Department sends a new brief, each unit\'s communications focal point gets a ready-made message to forward to the unit\'s Zalo or Telegram group, then replies "relayed".',
    unknown: 'This brief was not found among those sent to you to relay.',
    cancelled: 'The brief "{title}" was cancelled; there is no need to relay it any more.',
    reminder:
      'Reminder: the brief "{title}" sent on {date} has not been relayed to the group of {unit} yet. The ready-made message is just above; please forward (or copy) it into your unit\'s Zalo or Telegram group.',
    help: 'relayed — confirm you relayed the latest brief to your unit\'s group (focal points)',
  },
} as const
