/** Questions to the Department (handlers/ask.ts, src/domain/questions.ts). */
export const ask = {
  vi: {
    help: '/hoidap <câu hỏi> — gửi câu hỏi tới Sở GD&ĐT; câu trả lời sẽ về tại đây',
    prompt: 'Bạn muốn hỏi Sở GD&ĐT điều gì? Hãy gõ câu hỏi trong một tin nhắn (gõ /huy để thôi).',
    received: 'Đã gửi câu hỏi số {id} tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.',
    tooShort: 'Câu hỏi ngắn quá (cần từ {min} ký tự). Bạn hãy gõ lại đầy đủ hơn.',
    tooLong: 'Câu hỏi dài quá (tối đa {max} ký tự). Bạn hãy viết gọn lại hoặc tách thành vài câu hỏi.',
    answer: '💬 Sở GD&ĐT trả lời câu hỏi số {id} của bạn:\n«{question}»\n\n{answer}',
    digest: '❓ Có {count} câu hỏi của cán bộ đang chờ trả lời (câu cũ nhất gửi ngày {oldest}). Xem và trả lời tại /api/questions.',
  },
  en: {
    help: '/ask <question> — send a question to the Department; the answer comes back here',
    prompt: 'What would you like to ask the Department? Type your question in one message (/cancel to stop).',
    received: 'Your question no. {id} has been sent to the Department. The answer will come back here.',
    tooShort: 'That question is too short (at least {min} characters). Please write it out in full.',
    tooLong: 'That question is too long (at most {max} characters). Please shorten it or split it into several questions.',
    answer: '💬 The Department answers your question no. {id}:\n“{question}”\n\n{answer}',
    digest: '❓ {count} question(s) from staff are waiting for an answer (the oldest sent on {oldest}). Read and answer them at /api/questions.',
  },
}
