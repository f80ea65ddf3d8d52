/** The inbox: messages that match no command (handlers/inbox.ts, src/domain/inbox.ts). */
export const inbox = {
  vi: {
    passedOn:
      'Đã chuyển tin nhắn của bạn tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây. Để gửi câu hỏi chính thức, gõ /hoidap rồi câu hỏi; gửi /huongdan để xem các lệnh.',
    answer: '💬 Sở GD&ĐT trả lời tin nhắn của bạn:\n«{message}»\n\n{answer}',
    becameQuestion: 'Tin nhắn của bạn «{message}» đã được ghi thành câu hỏi số {id} gửi Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.',
  },
  en: {
    passedOn:
      'Your message has been passed on to the Department. The answer will come back here. To send a formal question, type /ask and the question; send /help to see the commands.',
    answer: '💬 The Department answers your message:\n“{message}”\n\n{answer}',
    becameQuestion: 'Your message “{message}” was recorded as question no. {id} to the Department. The answer will come back here.',
  },
}

/** The console's inbox page (src/web/console/inbox/). */
export const consoleInbox = {
  vi: {
    title: 'Tin nhắn đến',
    intro: 'Tin nhắn riêng của cán bộ đã liên kết mà không phải lệnh nào. Trả lời ngay tại đây (câu trả lời về đúng cuộc trò chuyện) hoặc chuyển thành câu hỏi.',
    filters: { new: 'Chưa xử lý', answered: 'Đã trả lời', question: 'Đã chuyển thành câu hỏi', all: 'Tất cả' },
    none: 'Không có tin nhắn nào ở mục này.',
    received: 'Nhận lúc {at} qua {channel}',
    erased: '(người gửi đã bị xoá khỏi danh bạ)',
    answer: 'Câu trả lời',
    answeredAt: '{by} đã trả lời lúc {at}',
    waited: 'Thời gian chờ trả lời: {hours} giờ làm việc',
    adminToken: 'Mã quản trị',
    send: 'Gửi câu trả lời',
    toQuestion: 'Chuyển thành câu hỏi',
    isQuestion: '{by} đã chuyển thành câu hỏi',
    questionLink: 'câu hỏi số {id}',
    sent: 'Đã gửi câu trả lời cho tin nhắn số {id}.',
    madeQuestion: 'Tin nhắn số {id} đã chuyển thành câu hỏi số {question}.',
    undelivered: 'Đã lưu cho tin nhắn số {id}, nhưng người gửi không còn kênh chat nào nhận được; hãy chuyển lời theo cách khác.',
    handled: 'Tin nhắn số {id} đã được xử lý trước đó; không gửi gì thêm.',
    empty: 'Vui lòng nhập câu trả lời (tối đa {max} ký tự).',
  },
  en: {
    title: 'Inbox',
    intro: 'Private messages from linked staff that were no command. Answer them here (the answer goes back to the same chat) or turn them into questions.',
    filters: { new: 'New', answered: 'Answered', question: 'Turned into questions', all: 'All' },
    none: 'No messages here.',
    received: 'Received {at} on {channel}',
    erased: '(the sender was erased from the directory)',
    answer: 'Answer',
    answeredAt: 'Answered by {by} at {at}',
    waited: 'Waited for the answer: {hours} working hours',
    adminToken: 'The admin token',
    send: 'Send the answer',
    toQuestion: 'Turn into a question',
    isQuestion: 'Turned into a question by {by}',
    questionLink: 'question no. {id}',
    sent: 'The answer to message no. {id} was sent.',
    madeQuestion: 'Message no. {id} is now question no. {question}.',
    undelivered: 'Saved for message no. {id}, but the sender has no chat left that can receive it; pass it on another way.',
    handled: 'Message no. {id} was already handled; nothing more was sent.',
    empty: 'Please type an answer (at most {max} characters).',
  },
}
