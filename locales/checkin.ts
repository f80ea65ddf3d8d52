/** Attendance check-ins (handlers/checkin.ts). */
export const checkin = {
  vi: {
    help: '/diemdanh <mã> — điểm danh buổi quán triệt, tập huấn (ví dụ: /diemdanh NQ71-4821)',
    askCode: 'Vui lòng gửi mã điểm danh được đọc hoặc chiếu tại buổi họp (ví dụ: NQ71-4821). Gửi /huy để thôi.',
    confirmed: 'Đã điểm danh: {title} ({kind}), {from} – {to}.\nGhi nhận lúc {at}. Cảm ơn bạn!',
    unknownCode:
      'Không tìm thấy buổi nào có mã "{code}". Vui lòng kiểm tra lại mã (ví dụ: NQ71-4821) và gửi lại, hoặc gửi /huy để thôi.',
    notOpen: 'Buổi "{title}" chưa mở điểm danh. Điểm danh mở lúc {at}.',
    codeNotOpen: 'Mã này chưa mở điểm danh. Điểm danh mở lúc {at}; vui lòng gửi lại mã khi đó.',
    throttled: 'Bạn đã gửi sai mã điểm danh quá nhiều lần. Vui lòng chờ đến {time} rồi gửi lại, hoặc hỏi ban tổ chức mã đúng.',
    closed: 'Buổi "{title}" đã hết giờ điểm danh lúc {at}. Điểm danh của bạn không được ghi nhận; vui lòng liên hệ ban tổ chức nếu bạn có tham dự.',
    already: 'Bạn đã điểm danh buổi "{title}" lúc {at} rồi. Mỗi người chỉ cần điểm danh một lần.',
    kind: {
      briefing: 'buổi quán triệt',
      training: 'buổi tập huấn',
    },
  },
  en: {
    help: '/checkin <code> — check in to a briefing or training session (e.g. /checkin NQ71-4821)',
    askCode: 'Please send the check-in code read out or shown at the session (e.g. NQ71-4821). Send /cancel to stop.',
    confirmed: 'Checked in: {title} ({kind}), {from} – {to}.\nRecorded at {at}. Thank you!',
    unknownCode:
      'No session has the code "{code}". Please check the code (e.g. NQ71-4821) and send it again, or send /cancel to stop.',
    notOpen: 'Check-in for "{title}" is not open yet. It opens at {at}.',
    codeNotOpen: 'Check-in with this code is not open yet. It opens at {at}; please send the code again then.',
    throttled: 'Too many wrong check-in codes from this chat. Please wait until {time} and send it again, or ask the organisers for the right code.',
    closed: 'Check-in for "{title}" closed at {at}. Your check-in was not recorded; please contact the organisers if you attended.',
    already: 'You already checked in to "{title}" at {at}. Once is enough.',
    kind: {
      briefing: 'briefing',
      training: 'training',
    },
  },
} as const
