import { Hono } from 'hono'
import { jsx } from 'hono/jsx'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { Layout } from '#src/web/layout.js'
import { PublicLinkCard } from '#src/web/public-link.js'
import { startHarness, type Harness } from '../helpers/harness.js'

/** The card the console drops beside a broadcast, quiz or session (wired by the console pages). */
let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

function consolePage(kind: 'broadcast' | 'quiz' | 'session', itemId: number) {
  const app = new Hono()
  app.get('/admin/item', async (c) => c.html(await jsx(Layout, { c, title: 'item' }, jsx(PublicLinkCard, { c, deps: h.deps, kind, itemId })).toString()))
  return app
}

it('shows the same public link as the API, its QR drawn inline, and working PNG and SVG downloads', async () => {
  const s = await (
    await h.api('/sessions', { body: { title: 'Quán triệt NQ71', kind: 'briefing', opensAt: '2026-03-16T01:30:00Z', closesAt: '2026-03-16T04:00:00Z' } })
  ).json()
  const html = await (await consolePage('session', s.id).request('/admin/item')).text()
  expect(html).toContain('Đường dẫn công khai và mã QR')
  expect(html).toContain('Chiếu mã QR lên màn hình')
  expect(html).toContain(`href="${s.publicUrl}"`)
  expect(html).toMatch(/<figure class="qr" role="img" aria-label="Mã QR của [^"]+"><svg[^>]*viewBox/)
  const path = new URL(s.publicUrl).pathname
  expect(html).toContain(`href="${path}/qr.png" download="loa-${path.slice(3)}.png"`)
  const png = await h.app.request(`${path}/qr.png`)
  expect(png.headers.get('content-type')).toBe('image/png')
  expect((await h.app.request(`${path}/qr.svg`)).status).toBe(200)
  // English with the page's language, and a quiz's link made on first use.
  const q = await (await h.api('/quizzes', { body: { title: 'Hiểu NQ71', closesAt: '2026-03-20T00:00:00Z', questions: [{ text: 'Năm?', options: ['2024', '2025'], correct: 1 }] } })).json()
  const en = await (await consolePage('quiz', q.id).request('/admin/item?lang=en')).text()
  expect(en).toContain('Public link and QR code')
  expect(en).toContain(`href="${q.publicUrl}"`)
})
