import { beforeAll, describe, expect, it } from 'vitest'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { signedInAs } from '../helpers/console.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>

beforeAll(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', '101')
})

async function scheduled(title: string) {
  const at = new Date(h.now().getTime() + 24 * 3_600_000).toISOString()
  const res = await h.api('/broadcasts', { body: { kind: 'announcement', title, body: 'Nội dung.', audience: { unitCodes: ['SGDDT'] }, scheduledAt: at } })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: number }).id
}
const status = async (id: number) => ((await (await h.api(`/broadcasts/${id}`)).json()) as { status: string }).status

describe('cancelling a broadcast asks first', () => {
  it('the button leads to a page that says what will be lost; only its confirm button cancels', async () => {
    const id = await scheduled('Lịch tập huấn')
    const editor = await signedInAs(h, ids.phuc, 'editor')
    const detail = await (await editor.get(`/admin/broadcasts/${id}`)).text()
    // The detail page no longer posts the cancel: it opens the confirm step.
    expect(detail).not.toContain(`method="post" action="/admin/broadcasts/${id}/cancel"`)
    expect(detail).toContain(`action="/admin/broadcasts/${id}/cancel"`)

    const ask = await editor.get(`/admin/broadcasts/${id}/cancel`)
    expect(ask.status).toBe(200)
    const text = await editor.text(ask)
    expect(text).toContain('Huỷ thông báo #' + id + ': Lịch tập huấn?')
    expect(text).toContain('Không thể hoàn tác')
    expect(text).toContain('Không, giữ lại')
    expect(await status(id)).toBe('scheduled')

    // A post without the confirmation (an old page, a stray click) changes nothing and asks.
    const stray = await editor.post(`/admin/broadcasts/${id}/cancel`)
    expect(stray.status).toBe(303)
    expect(stray.headers.get('location')).toBe(`/admin/broadcasts/${id}/cancel`)
    expect(await status(id)).toBe('scheduled')

    const done = await editor.post(`/admin/broadcasts/${id}/cancel`, { confirm: 'yes' })
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe(`/admin/broadcasts/${id}?done=cancelled`)
    expect(await status(id)).toBe('cancelled')
    // Once cancelled, the confirm page says so instead of asking again.
    const again = await editor.text(await editor.get(`/admin/broadcasts/${id}/cancel`))
    expect(again).toContain('Thông báo này không thể huỷ')
  })

  it('a viewer cannot open the confirm step', async () => {
    const id = await scheduled('Họp giao ban')
    const viewer = await signedInAs(h, ids.minh, 'viewer')
    expect((await viewer.get(`/admin/broadcasts/${id}/cancel`)).status).toBe(403)
    expect(await status(id)).toBe('scheduled')
  })
})
