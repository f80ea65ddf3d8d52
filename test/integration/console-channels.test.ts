import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pauseChannel } from '#src/delivery/channel-rules.js'
import { startSession } from '#src/domain/console/signin-sessions.js'
import { startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
let cookie: string
beforeAll(async () => {
  h = await startHarness()
  const { token } = await startSession(h.db, { personId: null, role: 'admin', adminTokenHash: h.deps.adminTokenHash }, h.now())
  cookie = `loa_console=${token}`
})
afterAll(() => h?.close())

const home = async () => (await h.app.request('/admin', { headers: { cookie } })).text()

describe('channel alerts on the console home', () => {
  it('says the Zalo OA is configured but not connected, and how to connect it', async () => {
    const page = await home()
    expect(page).toContain('Zalo OA đã được cấu hình nhưng chưa kết nối. Chạy: npm run cli -- zalo-oa connect.')
    expect(page).not.toContain('tạm dừng gửi')
  })

  it('says a channel paused by a spent quota, until when and why, and stops saying it once the pause is lifted', async () => {
    await pauseChannel(h.db, 'zalo', new Date('2026-04-01T00:00:00+07:00'), 'quota exceeded', h.now())
    expect(await home()).toContain('Kênh Zalo tạm dừng gửi đến 00:00 01/04/2026: quota exceeded.')
    const lifted = await h.api('/channels/zalo/pause', { method: 'DELETE' })
    expect(lifted.status).toBe(200)
    expect(await home()).not.toContain('Kênh Zalo tạm dừng gửi')
  })
})
