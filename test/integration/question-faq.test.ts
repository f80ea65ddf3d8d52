import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signedInAs } from '../helpers/console.js'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * An answered question published as an FAQ entry of the library (issue 23): the question and the
 * answer, without the asker, published at once, not counted toward the target, once per question.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const PARENT_TG = '8800000001'
const QUESTION = 'Phường có lớp học hè cho học sinh lớp 6 không ạ?'
const ANSWER = 'Có, lớp hè mở từ 1/6 tại nhà văn hoá phường, đăng ký tại trường.'

beforeEach(async () => {
  h = await startHarness({ PUBLIC_URL: 'https://loa.example.gov.vn' })
  ids = await seedDirectory(h)
  h.setNow('2026-03-16T09:00:00+07:00')
})
afterEach(() => h.close())

const json = async (path: string, init: Parameters<Harness['api']>[1] = {}) => {
  const res = await h.api(path, init)
  return { status: res.status, body: (await res.json()) as any }
}

/** A parent in Ninh Kiều asks (question 1), and the Department answers it. */
async function answeredWardQuestion() {
  await h.say.telegram(PARENT_TG, '/dangky')
  const offer = h.telegram.sentTo(PARENT_TG).at(-1)!
  await h.say.press(PARENT_TG, JSON.stringify(offer.params.reply_markup).match(/sub:ward:\d+/)![0])
  await h.say.telegram(PARENT_TG, `/hoidap ${QUESTION}`)
  expect((await json('/questions/1/answer', { body: { answer: ANSWER } })).status).toBe(200)
}

describe('publishing an answer as an FAQ entry', () => {
  it('makes a published, searchable FAQ entry without the asker, linked to the question, once', async () => {
    await answeredWardQuestion()
    const made = await json('/questions/1/faq', { body: {} })
    expect(made.status).toBe(201)
    expect(made.body.product).toMatchObject({
      kind: 'faq',
      title: QUESTION,
      summary: QUESTION,
      body: ANSWER,
      audience: 'public',
      status: 'published',
      countsTowardTarget: false,
      autoAnswer: false,
      ownerUnitCode: 'P-NINHKIEU',
      tags: [],
      link: null,
    })
    const id = made.body.product.id
    // No personal data: no chat id, no channel, nothing of the subscriber.
    const entry = await json(`/library/${id}`)
    const text = JSON.stringify(entry.body)
    for (const personal of [PARENT_TG, 'telegram', 'subscriber']) expect(text).not.toContain(personal)

    // Linked to the question, and searchable (folded, as people type).
    expect((await json('/questions?status=answered')).body.items[0]).toMatchObject({ id: 1, faqProductId: id })
    const found = await json('/library?q=lop he')
    expect(found.body.items.map((p: any) => p.id)).toContain(id)
    const page = await h.app.request('/thu-vien/' + made.body.product.slug)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('lớp hè mở từ 1/6')

    // Once: a second call is a conflict naming the entry, and makes nothing.
    const again = await json('/questions/1/faq', { body: { title: 'Lớp học hè' } })
    expect(again.status).toBe(409)
    expect(again.body.error.message).toBe(`Câu hỏi số 1 đã được đăng thành mục Hỏi đáp (mục số ${id}) trong thư viện.`)
    expect(again.body.error.details).toEqual({ productId: id })
    expect((await json('/library?kind=faq')).body.items).toHaveLength(1)
  })

  it('takes a title and an audience, and refuses what cannot be published', async () => {
    await answeredWardQuestion()
    expect((await json('/questions/1/faq', { body: { title: '' } })).status).toBe(400)
    const made = await json('/questions/1/faq', { body: { title: 'Lớp học hè ở phường Ninh Kiều', audience: 'internal' } })
    expect(made.status).toBe(201)
    expect(made.body.product).toMatchObject({ title: 'Lớp học hè ở phường Ninh Kiều', audience: 'internal' })
    // A viewer's token may read the questions, not publish them.
    expect((await h.api(`/people/${ids.lan}/console-role`, { method: 'PUT', body: { role: 'viewer' } })).status).toBe(200)
    const viewer = ((await (await h.api('/tokens', { body: { personId: ids.lan, label: 'viewer' } })).json()) as { token: string }).token
    expect((await json('/questions/1/faq', { body: {}, token: viewer })).status).toBe(403)
    expect((await json('/questions?status=answered', { token: viewer })).status).toBe(200)
    expect((await json('/questions/99/faq', { body: {} })).status).toBe(404)
    expect((await json('/questions/abc/faq', { body: {} })).status).toBe(404)
    expect((await json('/questions/1/faq', { body: { audience: 'everyone' } })).status).toBe(400)
    // An open question has no answer to publish.
    await h.say.telegram(PARENT_TG, '/hoidap Trường có xe đưa đón không ạ?')
    const open = await json('/questions/2/faq', { body: {} })
    expect(open.status).toBe(409)
    expect(open.body.error.message).toBe('Câu hỏi số 2 chưa có câu trả lời (hoặc nội dung đã bị xoá) nên chưa đăng thành mục Hỏi đáp được.')
    expect((await json('/library?kind=faq')).body.items).toHaveLength(1)
  })

  it('is a button on an answered question’s card in the console, for editors only', async () => {
    await answeredWardQuestion()
    const viewer = await signedInAs(h, ids.lan, 'viewer')
    const seen = await viewer.text(await viewer.get('/admin/questions?status=answered'))
    expect(seen).not.toContain('Đăng thành mục Hỏi đáp')
    expect((await viewer.post('/admin/questions/1/faq')).status).toBe(403)
    expect((await json('/library?kind=faq')).body.items).toHaveLength(0)

    const editor = await signedInAs(h, ids.phuc, 'editor')
    const before = await (await editor.get('/admin/questions?status=answered')).text()
    expect(before).toMatch(/<form method="post" action="\/admin\/questions\/1\/faq\?status=answered">[\s\S]*?Đăng thành mục Hỏi đáp\s*<\/button>/)
    const done = await editor.post('/admin/questions/1/faq?status=answered')
    expect(done.status).toBe(200)
    const after = await done.text()
    expect(after).toContain(`Đã đăng câu hỏi số 1 thành mục Hỏi đáp «${QUESTION}» trong thư viện.`)
    const [entry] = (await json('/library?kind=faq')).body.items
    expect(entry).toMatchObject({ title: QUESTION, body: ANSWER, status: 'published', createdBy: ids.phuc })
    expect(after).toContain(`href="/admin/library/${entry.id}"`)
    expect(after).not.toContain('action="/admin/questions/1/faq')
    const twice = await editor.post('/admin/questions/1/faq?status=answered')
    expect(twice.status).toBe(409)
    expect((await editor.post('/admin/questions/77/faq')).status).toBe(404)
    expect((await json('/library?kind=faq')).body.items).toHaveLength(1)
  })
})
