/** Questions to the Department (handlers/ask.ts, src/domain/questions.ts). */
export const ask = {
  vi: {
    help: '/hoidap <câu hỏi> — gửi câu hỏi tới Sở GD&ĐT; câu trả lời sẽ về tại đây',
    usage: 'Gõ câu hỏi ngay sau lệnh, trong cùng một tin nhắn. Ví dụ: /hoidap Khi nào Sở gửi tài liệu tập huấn?',
    hintSlash: 'Để gửi câu hỏi cho Sở, gõ "hỏi đáp:" (có dấu hai chấm) hoặc /hoidap rồi câu hỏi, trong cùng một tin nhắn. Ví dụ: hỏi đáp: Khi nào Sở gửi tài liệu tập huấn?',
    received: 'Đã gửi câu hỏi số {id} tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.',
    tooShort: 'Câu hỏi ngắn quá (cần từ {min} ký tự). Bạn hãy gõ lại: /hoidap và câu hỏi đầy đủ.',
    tooLong: 'Câu hỏi dài quá (tối đa {max} ký tự). Bạn hãy viết gọn lại hoặc tách thành vài câu hỏi.',
    answer: '💬 Sở GD&ĐT trả lời câu hỏi số {id} của bạn:\n«{question}»\n\n{answer}',
    correction: '✏️ Sở GD&ĐT sửa lại câu trả lời cho câu hỏi số {id} của bạn:\n«{question}»\n\n{answer}',
    digest: '❓ Có {count} câu hỏi của cán bộ đang chờ trả lời (câu cũ nhất gửi ngày {oldest}). Trả lời qua API quản trị: GET /api/questions.',
  },
  en: {
    help: '/ask <question> — send a question to the Department; the answer comes back here',
    usage: 'Type your question right after the command, in the same message. For example: /ask When will the training material arrive?',
    hintSlash: 'To send the Department a question, type "ask:" (with the colon) or /ask and then the question, in the same message. For example: ask: When will the training material arrive?',
    received: 'Your question no. {id} has been sent to the Department. The answer will come back here.',
    tooShort: 'That question is too short (at least {min} characters). Please send /ask with the full question.',
    tooLong: 'That question is too long (at most {max} characters). Please shorten it or split it into several questions.',
    answer: '💬 The Department answers your question no. {id}:\n“{question}”\n\n{answer}',
    correction: '✏️ The Department corrects its answer to your question no. {id}:\n“{question}”\n\n{answer}',
    digest: '❓ {count} question(s) from staff are waiting for an answer (the oldest sent on {oldest}). Answer them through the admin API: GET /api/questions.',
  },
}
