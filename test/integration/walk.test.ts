import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { signedInAs } from '../helpers/console.js'

/**
 * The newcomer walk's leftovers (issue 19, "From the walk, also"; /work/shared/research/console-walk.md):
 * what a Department admin meets on the compose, sending, session and quiz pages.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>

beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
})
afterEach(() => h.close())

const json = async (res: Response) => (await res.json()) as any
const brief = (extra: Record<string, string> = {}) => ({
  kind: 'brief',
  title: 'Quán triệt Nghị quyết 71',
  body: 'Nghị quyết 71-NQ/TW về đột phá phát triển giáo dục và đào tạo.',
  requireAck: 'on',
  audienceShown: '1',
  includeSubunits: 'on',
  when: 'now',
  action: 'preview',
  ...extra,
})

describe('compose: image and link addresses (O1)', () => {
  it('refuses an http:// image on the console with one clear error, and creates nothing', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const res = await admin.post('/admin/broadcasts/new', brief({ imageUrl: 'http://sgddt.cantho.gov.vn/anh.jpg' }))
    expect(res.status).toBe(400)
    const text = await admin.text(res)
    expect(text).toContain('Ảnh (địa chỉ https, không bắt buộc): phải là địa chỉ bắt đầu bằng https://')
    expect(text.match(/https:\/\/ /g)?.length ?? 0).toBeLessThanOrEqual(1)
    expect((await json(await h.api('/broadcasts'))).total).toBe(0)
  })

  it('gives one error, in plain words, for a link without https://', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const res = await admin.post('/admin/broadcasts/new', brief({ link: 'sgddt.cantho.gov.vn/nq71' }))
    expect(res.status).toBe(400)
    const html = await res.text()
    const errors = /id="form-errors">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? ''
    expect(errors.match(/<li>/g)).toHaveLength(1)
    expect(html).toContain('phải là địa chỉ web đầy đủ, bắt đầu bằng https://')
    expect(html).not.toContain('URL không hợp lệ')
  })

  it('refuses an http:// image over the API too, with one detail', async () => {
    const res = await h.api('/broadcasts', { body: { kind: 'brief', title: 'NQ 71', body: 'Nội dung', imageUrl: 'http://example.vn/a.jpg' } })
    expect(res.status).toBe(400)
    expect((await json(res)).error.details).toEqual([{ path: 'imageUrl', message: expect.stringContaining('https://') }])
    const link = await h.api('/broadcasts', { body: { kind: 'brief', title: 'NQ 71', body: 'Nội dung', link: 'example.vn' } })
    expect((await json(link)).error.details).toHaveLength(1)
    const ok = await h.api('/broadcasts', { body: { kind: 'brief', title: 'NQ 71', body: 'Nội dung', imageUrl: 'https://example.vn/a.jpg', link: 'http://example.vn/nq' } })
    expect(ok.status).toBe(201)
  })
})
