import { describe, expect, it } from 'vitest'
import { isLeftMessage } from '#handlers/public.js'

describe('a message a parent or citizen leaves in the chat', () => {
  it('is a question when it says something; a greeting, thanks or a word or two is not', () => {
    for (const q of ['Cho tôi hỏi về học phí', 'Con tôi học lớp 6, khi nào có lịch tựu trường?', 'cho hoi lich thi vao lop 10']) expect(isLeftMessage(q), q).toBe(true)
    for (const n of ['Xin chào', 'xin chào ạ', 'Cảm ơn Sở nhiều ạ', 'Chào bạn nhé', 'đã chuyển', 'ok', '👍 👍 👍', 'thank you so much', 'x'.repeat(2001)]) expect(isLeftMessage(n), n).toBe(false)
  })
})
