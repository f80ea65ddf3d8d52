/** The library in chat (handlers/lookup.ts), suggested answers (src/domain/library/suggest.ts) and automatic FAQ answers. */
export const lookup = {
  vi: {
    help: '/tracuu <từ khoá> — tìm bản tin, tài liệu, hỏi đáp trong thư viện của Sở (gõ có dấu hay không dấu đều được)',
    usage: 'Gõ từ khoá ngay sau lệnh, ví dụ: /tracuu tuyen sinh lop 10 hoặc tra cứu: học phí.',
    newest: 'Mới nhất trong thư viện:',
    found: '🔎 Thư viện — kết quả cho «{q}»:',
    near: '🔎 Thư viện — không có mục nào chứa đủ các từ «{q}»; gần nhất:',
    none: 'Chưa tìm thấy mục nào cho «{q}» trong thư viện. Bạn thử từ khoá ngắn hơn (ví dụ: /tracuu hoc phi).',
    noneAsk: 'Nếu cần, gửi câu hỏi cho Sở: /hoidap và câu hỏi.',
    empty: 'Thư viện chưa có mục nào.',
    internal: 'nội bộ',
    more: '… và các mục khác: gõ từ khoá cụ thể hơn.',
  },
  en: {
    help: '/lookup <keywords> — find briefs, documents and FAQs in the Department’s library (with or without Vietnamese marks)',
    usage: 'Type keywords right after the command, for example: /lookup tuyen sinh lop 10 or lookup: học phí.',
    newest: 'Newest in the library:',
    found: '🔎 Library — results for “{q}”:',
    near: '🔎 Library — no entry holds all of “{q}”; the closest:',
    none: 'Nothing found for “{q}” in the library. Try shorter keywords (for example: /lookup hoc phi).',
    noneAsk: 'If you need to, ask the Department: /ask and your question.',
    empty: 'The library has no entries yet.',
    internal: 'internal',
    more: '… and more: try more specific keywords.',
  },
}
