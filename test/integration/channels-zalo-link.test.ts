import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consoleClient } from '../helpers/console.js'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { startSession } from '../../src/domain/console/sessions.js'

/**
 * The Zalo bot turned on in the console with the link Zalo shows for it (getMe gives none), so the
 * invite cards print a Zalo QR code with no ZALO_BOT_LINK in the environment.
 */
let h: Harness
beforeAll(async () => {
  h = await startHarness({ TELEGRAM_BOT_TOKEN: '', ZALO_BOT_TOKEN: '', ZALO_OA_APP_ID: '', ZALO_OA_APP_SECRET: '', ZALO_OA_SECRET_KEY: '', PUBLIC_URL: 'https://loa.example.gov.vn' })
  await seedDirectory(h)
})
afterAll(() => h?.close())

async function admin() {
  const client = consoleClient(h)
  const { token } = await startSession(h.db, { personId: null, role: 'admin', adminTokenHash: h.deps.adminTokenHash }, h.now())
  client.jar.set('loa_console', token)
  return client
}

describe("the Zalo bot's link, entered with its token", () => {
  it('refuses a link that is not https:// in Vietnamese, before asking Zalo anything, and turns nothing on', async () => {
    const console = await admin()
    const res = await console.post('/admin/channels/zalo', { token: '987654:new-zalo-token', link: 'zalo.me/s/loa-bot' })
    expect(res.status).toBe(400)
    expect(await console.text(res)).toContain('Đường dẫn bot Zalo phải bắt đầu bằng https://')
    expect(h.zalo.calls.some((c) => c.method === 'getMe' || c.method === 'setWebhook')).toBe(false)
    expect(h.deps.channels.zalo).toBeUndefined()
    const api = await h.api('/channels/zalo', { method: 'PUT', body: { token: '987654:new-zalo-token', link: 'http://zalo.me/s/x' } })
    expect(api.status).toBe(400)
    expect(h.deps.channels.zalo).toBeUndefined()
  })

  it('is shown on the channels page and printed with a Zalo QR code on every invite card', async () => {
    const res = await h.api('/channels/zalo', { method: 'PUT', body: { token: '987654:new-zalo-token', link: 'https://zalo.me/s/loa-cantho-bot' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ channel: 'zalo', on: true, link: 'https://zalo.me/s/loa-cantho-bot' })
    const console = await admin()
    // Shown with the bot, and kept in the form so a new token does not lose it.
    const page = await (await console.get('/admin/channels')).text()
    expect(page).toContain('<a href="https://zalo.me/s/loa-cantho-bot"')
    expect(page).toMatch(/id="link-zalo"[^>]*value="https:\/\/zalo.me\/s\/loa-cantho-bot"/)
    const sheet = await (await console.post('/admin/directory/invites', { unit: 'THCS-ANHOA' })).text()
    expect(sheet).toContain('mở https://zalo.me/s/loa-cantho-bot')
    expect(sheet.match(/data-qr="zalo"/g)?.length).toBe(2)
  })
})
