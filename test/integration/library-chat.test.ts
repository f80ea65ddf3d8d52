import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/** The library in chat (issue 22): /tracuu on Telegram and the Zalo bot, public and internal entries. */
let h: Harness
const TG = '6300000061'
const ZL = 'zl-minh-61'
const STRANGER = '6300000099'

beforeEach(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }, { PUBLIC_URL: 'https://loa.example.vn' }))
})
afterEach(() => h.close())

async function add(body: Record<string, unknown>) {
  const res = await h.api('/library', { body: { publishedAt: '2026-03-10T08:00:00+07:00', audience: 'public', ...body } })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: number; slug: string }
}

describe('/tracuu in chat', () => {
  it('answers with the best entries, links to their public pages, on Telegram and Zalo, with or without marks', async () => {
    await add({ kind: 'faq', title: 'Lịch thi tuyển sinh lớp 10 năm học 2026-2027', body: 'Thi ngày 3 và 4 tháng 6 năm 2026, ba môn Ngữ văn, Toán, Tiếng Anh.', slug: 'lich-thi-lop-10' })
    await add({ kind: 'infographic', title: 'Infographic: tuyển sinh lớp 1', summary: 'Đăng ký trực tuyến từ 1/7 đến 15/7.', slug: 'tuyen-sinh-lop-1' })
    await add({ kind: 'article', title: 'Giáo dục STEM ở trường tiểu học', summary: 'Kinh nghiệm của các trường.' })

    await h.say.telegram(TG, '/tracuu tuyển sinh')
    const tg = h.lastText(h.telegram, TG)
    expect(tg).toMatch(/^🔎 Thư viện — kết quả cho «tuyển sinh»:/)
    expect(tg).toContain('Lịch thi tuyển sinh lớp 10 năm học 2026-2027 (Hỏi đáp)\nThi ngày 3 và 4 tháng 6 năm 2026, ba môn Ngữ văn, Toán, Tiếng Anh.\nhttps://loa.example.vn/thu-vien/lich-thi-lop-10')
    expect(tg).toContain('Infographic: tuyển sinh lớp 1 (Infographic)\nĐăng ký trực tuyến từ 1/7 đến 15/7.\nhttps://loa.example.vn/thu-vien/tuyen-sinh-lop-1')
    expect(tg).not.toContain('STEM')

    // Zalo, no marks, the other names and the form without the slash.
    await h.say.zalo(ZL, '/tim tuyen sinh lop 10')
    expect(h.lastText(h.zalo, ZL)).toMatch(/^🔎 Thư viện — kết quả cho «tuyen sinh lop 10»:\n\n1\. Lịch thi tuyển sinh lớp 10/)
    expect(h.lastText(h.zalo, ZL)).not.toContain('lớp 1 (Infographic)')
    await h.say.zalo(ZL, 'tra cuu: stem')
    expect(h.lastText(h.zalo, ZL)).toContain('1. Giáo dục STEM ở trường tiểu học (Bài viết)')
    await h.say.telegram(TG, 'Tra cứu: STEM')
    expect(h.lastText(h.telegram, TG)).toContain('Giáo dục STEM')
  })

  it('shows internal entries only to linked staff; an unlinked chat sees public ones only', async () => {
    await add({ kind: 'document', title: 'Hướng dẫn báo cáo nhanh tuyển sinh', audience: 'internal', link: 'https://drive.example.vn/bao-cao' })
    await add({ kind: 'faq', title: 'Hồ sơ tuyển sinh lớp 6', body: 'Xét tuyển theo địa bàn.' })

    await h.say.telegram(TG, '/tracuu tuyen sinh')
    const staff = h.lastText(h.telegram, TG)
    expect(staff).toContain('Hướng dẫn báo cáo nhanh tuyển sinh (Tài liệu, nội bộ)\nhttps://drive.example.vn/bao-cao')
    expect(staff).not.toContain('/thu-vien/huong-dan')
    expect(staff).toContain('Hồ sơ tuyển sinh lớp 6')

    await h.say.telegram(STRANGER, '/tracuu tuyen sinh')
    const stranger = h.lastText(h.telegram, STRANGER)
    expect(stranger).toContain('Hồ sơ tuyển sinh lớp 6')
    expect(stranger).not.toContain('báo cáo nhanh')
    await h.say.telegram(STRANGER, 'tra cứu: báo cáo nhanh')
    expect(h.lastText(h.telegram, STRANGER)).toBe('Chưa tìm thấy mục nào cho «báo cáo nhanh» trong thư viện. Bạn thử từ khoá ngắn hơn (ví dụ: /tracuu hoc phi).')
    // Drafts are nobody's in chat.
    await add({ kind: 'faq', title: 'Nháp về tuyển sinh', status: 'draft', publishedAt: null })
    await h.say.telegram(TG, '/tracuu nhap')
    expect(h.lastText(h.telegram, TG)).toMatch(/^Chưa tìm thấy mục nào cho «nhap»/)
  })

  it('explains itself when empty, shows the newest, falls back to the nearest, and keeps one Zalo message', async () => {
    await h.say.zalo(ZL, '/tracuu')
    expect(h.lastText(h.zalo, ZL)).toBe('Gõ từ khoá ngay sau lệnh, ví dụ: /tracuu tuyen sinh lop 10 hoặc tra cứu: học phí.\nThư viện chưa có mục nào.')
    for (let i = 1; i <= 12; i++) {
      h.setNow(new Date(Date.parse('2026-03-16T02:00:00Z') + i * 60_000))
      await add({ kind: 'article', title: `Bài ${i}: học phí và tuyển sinh ${'rất dài '.repeat(30)}`, summary: 'Tóm tắt '.repeat(40), publishedAt: null, status: 'published' })
    }
    await h.say.zalo(ZL, '/tracuu')
    const usage = h.lastText(h.zalo, ZL)
    expect(usage).toMatch(/^Gõ từ khoá ngay sau lệnh.*\n\nMới nhất trong thư viện:\n\n1\. Bài 12:/s)
    expect(usage).not.toContain('4. ')

    await h.say.zalo(ZL, '/tracuu hoc phi')
    const many = h.lastText(h.zalo, ZL)
    expect(many.length).toBeLessThanOrEqual(2000)
    expect(h.texts(h.zalo, ZL).at(-2)).toBe(usage) // one message, not split
    expect(many).toMatch(/… và các mục khác: gõ từ khoá cụ thể hơn\.$/)

    // Not every word is there: the nearest entries, said so.
    await h.say.zalo(ZL, 'tra cứu: học phí năm nay bao nhiêu')
    expect(h.lastText(h.zalo, ZL)).toMatch(/^🔎 Thư viện — không có mục nào chứa đủ các từ «học phí năm nay bao nhiêu»; gần nhất:\n\n1\. Bài/)
    await h.say.zalo(ZL, '/tracuu khong co gi')
    expect(h.lastText(h.zalo, ZL)).toBe('Chưa tìm thấy mục nào cho «khong co gi» trong thư viện. Bạn thử từ khoá ngắn hơn (ví dụ: /tracuu hoc phi).\nNếu cần, gửi câu hỏi cho Sở: /hoidap và câu hỏi.')

    await h.say.zalo(ZL, 'huong dan')
    expect(h.lastText(h.zalo, ZL)).toContain('/tracuu <từ khoá> — tìm bản tin, tài liệu, hỏi đáp trong thư viện của Sở')
  })
})

describe('automatic answers from the FAQ', () => {
  it('answers a matching question at once, labelled, from an FAQ entry marked tự động, and leads to a person', async () => {
    const faq = await add({
      kind: 'faq',
      title: 'Lịch thi tuyển sinh lớp 10 năm học 2026-2027',
      body: 'Kỳ thi tuyển sinh vào lớp 10 diễn ra ngày 3 và 4 tháng 6 năm 2026, thi Ngữ văn, Toán và Tiếng Anh.',
      autoAnswer: true,
      slug: 'lich-thi-lop-10',
    })
    await h.say.telegram(TG, '/hoidap Cho em hỏi lịch thi tuyển sinh lớp 10 năm nay khi nào ạ?')
    const [received, auto] = h.texts(h.telegram, TG).slice(-2)
    expect(received).toBe('Đã gửi câu hỏi số 1 tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.')
    expect(auto).toBe(
      '🤖 (Trả lời tự động từ mục Hỏi đáp)\n«Lịch thi tuyển sinh lớp 10 năm học 2026-2027»\n\n' +
        'Kỳ thi tuyển sinh vào lớp 10 diễn ra ngày 3 và 4 tháng 6 năm 2026, thi Ngữ văn, Toán và Tiếng Anh.\n\n' +
        'Xem thêm: https://loa.example.vn/thu-vien/lich-thi-lop-10\n\n' +
        'Chưa đúng ý? Trả lời "gặp người": câu hỏi số 1 vẫn được chuyển tới cán bộ Sở, và họ sẽ trả lời tại đây.',
    )
    // Without marks, on Zalo, too.
    await h.say.zalo(ZL, 'hỏi đáp: lich thi tuyen sinh lop 10 khi nao')
    expect(h.lastText(h.zalo, ZL)).toMatch(/^🤖 \(Trả lời tự động từ mục Hỏi đáp\)\n«Lịch thi tuyển sinh lớp 10/)

    // The question stays open in the inbox, marked; "gặp người" marks it for a person.
    const open = (await (await h.api('/questions')).json()) as { items: any[] }
    expect(open.items.map((q) => [q.id, q.answer, q.autoAnswer?.productId, q.personAskedAt])).toEqual([
      [2, null, faq.id, null],
      [1, null, faq.id, null],
    ])
    await h.say.telegram(TG, 'Gặp người')
    expect(h.lastText(h.telegram, TG)).toBe('Đã báo cán bộ Sở: câu hỏi số 1 cần người trả lời. Câu trả lời sẽ được gửi về đây.')
    const after = (await (await h.api('/questions')).json()) as { items: any[] }
    expect(after.items.find((q) => q.id === 1).personAskedAt).toBe('2026-03-16T02:00:00.000Z')
    // A person answers it as any other.
    expect((await h.api('/questions/1/answer', { body: { answer: 'Thi ngày 3/6; lịch chi tiết ở trường.' } })).status).toBe(200)
    await h.say.telegram(TG, 'gap nguoi')
    expect(h.lastText(h.telegram, TG)).toBe('Bạn không có câu hỏi nào vừa được trả lời tự động. Để hỏi Sở, gõ /hoidap và câu hỏi.')
  })

  it('never sends an entry not marked tự động, nor one that matches too little, nor another kind', async () => {
    await add({ kind: 'faq', title: 'Học sinh nào được miễn học phí?', body: 'Học sinh trường công lập được miễn học phí từ năm học 2025-2026.' })
    await add({ kind: 'article', title: 'Nghỉ Tết Nguyên đán 2026 của học sinh', body: 'Học sinh nghỉ Tết từ 14/2 đến 22/2/2026.' })
    await add({ kind: 'faq', title: 'Đồng phục học sinh', body: 'Không bắt buộc mua đồng phục tại trường.', autoAnswer: true })

    await h.say.telegram(TG, '/hoidap Học sinh nào được miễn học phí?')
    await h.say.telegram(TG, '/hoidap Học sinh nghỉ Tết Nguyên đán 2026 từ ngày nào?')
    await h.say.telegram(TG, '/hoidap Học sinh lớp 9 có phải mặc đồng phục khi đi thi học sinh giỏi ở trường khác?')
    const texts = h.texts(h.telegram, TG)
    expect(texts.slice(-3)).toEqual([1, 2, 3].map((id) => `Đã gửi câu hỏi số ${id} tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.`))
    expect(texts.join('\n')).not.toContain('Trả lời tự động')
    const open = (await (await h.api('/questions')).json()) as { items: any[] }
    expect(open.items.every((q) => q.autoAnswer === null)).toBe(true)
  })
})
