import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/** Suggested answers for the questions inbox (issue 22, tier 0): the library and earlier answers, with their sources, and what became of them. */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
const TG = '6300000071'
const ZL = 'zl-minh-71'

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }, { PUBLIC_URL: 'https://loa.example.vn' }))
})
afterEach(() => h.close())

async function add(body: Record<string, unknown>) {
  const res = await h.api('/library', { body: { publishedAt: '2026-03-10T08:00:00+07:00', audience: 'public', ...body } })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: number; slug: string }
}
const suggestions = async (id: number) => {
  const res = await h.api(`/questions/${id}/suggestions`)
  return { status: res.status, body: (await res.json()) as any }
}

describe('suggested answers', () => {
  it('offers the best entries and earlier answers with their sources, and counts what the answer made of them', async () => {
    const faq = await add({ kind: 'faq', title: 'Học sinh nào được miễn học phí?', body: 'Học sinh trường công lập được miễn học phí từ năm học 2025-2026.', slug: 'mien-hoc-phi' })
    const info = await add({ kind: 'infographic', title: 'Infographic: miễn học phí năm học 2025-2026', summary: 'Ai được miễn, ai được hỗ trợ.', slug: 'info-hoc-phi' })
    await add({ kind: 'article', title: 'Giáo dục STEM ở trường tiểu học', summary: 'Kinh nghiệm.' })
    // An earlier question, answered by a person.
    await h.say.telegram(TG, '/hoidap Trường tư thục có được miễn học phí không?')
    expect((await h.api('/questions/1/answer', { body: { answer: 'Trường tư thục: hỗ trợ học phí theo mức của HĐND thành phố.' } })).status).toBe(200)

    h.setNow('2026-04-02T03:00:00Z')
    await h.say.zalo(ZL, '/hoidap Năm nay con em học trường công có được miễn học phí không ạ?')
    const s = await suggestions(2)
    expect(s.status).toBe(200)
    expect(s.body.items).toHaveLength(3)
    expect(s.body.items[0]).toMatchObject({ source: 'library', text: 'Học sinh trường công lập được miễn học phí từ năm học 2025-2026.', product: { id: faq.id, kind: 'faq', title: 'Học sinh nào được miễn học phí?' } })
    const sources = s.body.items.map((i: any) => (i.source === 'library' ? `library:${i.product.id}` : `answer:${i.question.id}`))
    expect(sources).toContain(`library:${info.id}`)
    expect(sources).toContain('answer:1')
    const earlier = s.body.items.find((i: any) => i.source === 'answer')
    expect(earlier).toMatchObject({ text: 'Trường tư thục: hỗ trợ học phí theo mức của HĐND thành phố.', question: { id: 1, answeredAt: '2026-03-16T02:00:00.000Z' } })
    const other = s.body.items.find((i: any) => i.product?.id === info.id)
    expect(other.text).toBe('Infographic: miễn học phí năm học 2025-2026\nAi được miễn, ai được hỗ trợ.\nhttps://loa.example.vn/thu-vien/info-hoc-phi')
    expect(s.body.items.every((i: any) => i.coverage > 0 && i.coverage <= 1)).toBe(true)

    // Sent as is → accepted; two more questions edited and written anew.
    expect((await h.api('/questions/2/answer', { body: { answer: 'Học sinh trường công lập được miễn học phí từ năm học 2025-2026.' } })).status).toBe(200)
    await h.say.zalo(ZL, '/hoidap Học sinh trường công lập có được miễn học phí?')
    expect((await suggestions(3)).body.items.length).toBeGreaterThan(0)
    await suggestions(3) // shown twice, counted once
    expect((await h.api('/questions/3/answer', { body: { answer: 'Có: học sinh trường công lập được miễn học phí từ năm học 2025-2026, kể cả lớp 10.' } })).status).toBe(200)
    await h.say.zalo(ZL, '/hoidap Trường công có được miễn học phí bán trú không?')
    await suggestions(4)
    expect((await h.api('/questions/4/answer', { body: { answer: 'Tiền ăn bán trú do cha mẹ đóng theo thoả thuận.' } })).status).toBe(200)
    // A question nobody asked for suggestions of is not counted; one with no match neither.
    await h.say.zalo(ZL, '/hoidap Khi nào có lịch tiêm vắc xin sởi?')
    expect((await suggestions(5)).body.items).toEqual([])

    const months = await (await h.api('/suggested-answers/months')).json()
    expect(months.items).toEqual([{ month: '2026-04', shown: 3, accepted: 1, edited: 1, rejected: 1 }])
  })

  it('answers 404 for an unknown question and lets only editors ask', async () => {
    expect((await suggestions(99)).status).toBe(404)
    expect((await suggestions(99)).body.error.message).toMatch(/99/)
    expect((await h.api('/questions/abc/suggestions')).status).toBe(404)
    await h.say.telegram(TG, '/hoidap Học sinh nào được miễn học phí?')
    const token = async (personId: number, role: string) => {
      expect((await h.api(`/people/${personId}/console-role`, { method: 'PUT', body: { role } })).status).toBe(200)
      return ((await (await h.api('/tokens', { body: { personId, label: role } })).json()) as { token: string }).token
    }
    expect((await h.api('/questions/1/suggestions', { token: await token(ids.lan, 'viewer') })).status).toBe(403)
    expect((await h.api('/questions/1/suggestions', { token: await token(ids.minh, 'editor') })).status).toBe(200)
    expect((await h.api('/suggested-answers/months', { token: await token(ids.lan, 'viewer') })).status).toBe(200)
  })
})

describe('suggested answers in the console', () => {
  it('shows them with their sources, prefills the answer form with one, and counts it sent as is', async () => {
    const { signedInAs } = await import('../helpers/console.js')
    await add({ kind: 'faq', title: 'Học sinh nào được miễn học phí?', body: 'Học sinh trường công lập được miễn học phí\ntừ năm học 2025-2026.', slug: 'mien-hoc-phi', autoAnswer: true })
    await h.say.telegram(TG, '/hoidap Trường tư thục có được hỗ trợ học phí không?')
    expect((await h.api('/questions/1/answer', { body: { answer: 'Trường tư thục: hỗ trợ học phí theo mức của HĐND.' } })).status).toBe(200)
    await h.say.zalo(ZL, '/hoidap Học sinh nào được miễn học phí?')
    await h.say.zalo(ZL, 'gặp người')

    const editor = await signedInAs(h, ids.minh, 'editor')
    const inbox = await editor.text(await editor.get('/admin/questions'))
    expect(inbox).toContain('🤖 Đã trả lời tự động lúc 09:00 16/03/2026 từ mục Hỏi đáp số 1; câu hỏi vẫn chờ người trả lời.')
    expect(inbox).toContain('🙋 Người hỏi muốn gặp người')
    expect(inbox).toContain('Gợi ý trả lời')

    const page = await editor.get('/admin/questions/2/suggest')
    expect(page.status).toBe(200)
    const text = await editor.text(page)
    expect(text).toContain('1. Từ thư viện: Học sinh nào được miễn học phí? (Hỏi đáp, tự động)')
    expect(text).toMatch(/2\. Câu trả lời ngày 16\/03\/2026 cho câu hỏi số 1/)
    expect(await (await editor.get('/admin/questions/2/suggest')).text()).toContain('href="https://loa.example.vn/thu-vien/mien-hoc-phi"')
    const picked = await (await editor.get('/admin/questions/2/suggest?use=0')).text()
    expect(picked).toMatch(/<textarea id="answer" name="answer"[^>]*>Học sinh trường công lập được miễn học phí\ntừ năm học 2025-2026\.<\/textarea>/)

    const sent = await editor.post('/admin/questions/2/answer?status=open', { answer: 'Học sinh trường công lập được miễn học phí\ntừ năm học 2025-2026.' })
    expect(sent.status).toBe(200)
    const after = await editor.text(sent)
    expect(after).toContain('Đã gửi câu trả lời cho câu hỏi số 2.')
    expect(after).toMatch(/Gợi ý trả lời theo tháng Tháng Câu hỏi có gợi ý Gửi nguyên văn Sửa rồi gửi Viết mới 2026-03 1 1 0 0/)

    const viewer = await signedInAs(h, ids.lan, 'viewer')
    expect((await viewer.get('/admin/questions/2/suggest')).status).toBe(403)
    expect((await editor.get('/admin/questions/99/suggest')).status).toBe(404)
  })
})
