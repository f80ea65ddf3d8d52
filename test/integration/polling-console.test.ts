import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeBotApi, type FakeBotApi } from '../fakes/bot-api.js'
import { zaloMessage } from '../helpers/harness.js'
import { freePort } from '../helpers/net.js'
import { startServerProcess } from '../helpers/server-process.js'

/**
 * A trial on a machine with no public address, with no terminal step after `npm start`: the
 * admin chooses polling on the channels page (PUT /api/channels/bot-mode), turns the Zalo bot on
 * with its token, and a teacher's message is answered, with no restart.
 */
const ADMIN_TOKEN = 'polling-console-admin-token-0123'
let dir: string
let zalo: FakeBotApi
let server: ChildProcess | undefined

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loa-polling-'))
  zalo = await startFakeBotApi({ platform: 'zalo' })
})
afterEach(async () => {
  if (server?.pid && server.exitCode === null) server.kill('SIGKILL')
  await zalo.close()
  rmSync(dir, { recursive: true, force: true })
})

async function until(what: string, check: () => boolean, ms = 20_000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('polling chosen in the console', () => {
  it('answers a Zalo message once the admin chose polling and turned the bot on, with no restart and no webhook', { timeout: 60_000 }, async () => {
    const port = await freePort()
    server = await startServerProcess(port, { DATABASE_PATH: join(dir, 'loa.db'), ADMIN_TOKEN, ZALO_API_ROOT: zalo.url })
    const api = (path: string, method: string, body?: unknown) =>
      fetch(`http://127.0.0.1:${port}/api${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })

    const bad = await api('/channels/bot-mode', 'PUT', { mode: 'carrier-pigeon' })
    expect(bad.status).toBe(400)
    const polling = await api('/channels/bot-mode', 'PUT', { mode: 'polling' })
    expect(polling.status).toBe(200)
    expect(await polling.json()).toEqual({ mode: 'polling' })
    const on = await api('/channels/zalo', 'PUT', { token: '987654:trial-zalo-token' })
    expect(on.status).toBe(200)
    expect(await on.json()).toMatchObject({ on: true, webhookRegistered: false })

    zalo.pushUpdate(zaloMessage('zp-trial', '/huongdan', { messageId: 'trial-1', wrapped: false }))
    await until('the bot to answer the polled message', () => zalo.sentTo('zp-trial').length > 0)
    expect(String(zalo.sentTo('zp-trial')[0]!.params.text)).toContain('chưa được liên kết')
    expect(zalo.calls.some((c) => c.method === 'setWebhook')).toBe(false)

    // Back to webhooks: polling stops (no further getUpdates).
    expect((await api('/channels/bot-mode', 'PUT', { mode: 'webhook' })).status).toBe(200)
    await new Promise((r) => setTimeout(r, 6000))
    const asked = zalo.calls.filter((c) => c.method === 'getUpdates').length
    await new Promise((r) => setTimeout(r, 1500))
    expect(zalo.calls.filter((c) => c.method === 'getUpdates').length).toBe(asked)
  })

  it('is refused when BOT_MODE is set in the environment', { timeout: 60_000 }, async () => {
    const port = await freePort()
    server = await startServerProcess(port, { DATABASE_PATH: join(dir, 'loa.db'), ADMIN_TOKEN, ZALO_API_ROOT: zalo.url, BOT_MODE: 'webhook' })
    const res = await fetch(`http://127.0.0.1:${port}/api/channels/bot-mode`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'polling' }),
    })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('BOT_MODE')
  })
})
