import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeBotApi, type FakeBotApi } from '../fakes/bot-api.js'
import { zaloMessage } from '../helpers/harness.js'
import { freePort } from '../helpers/net.js'
import { postStatus, startServerProcess } from '../helpers/server-process.js'

/**
 * The promise behind every 200: a Zalo chat sends 300 questions as fast as it can, the server is
 * killed with SIGKILL midway, and after a restart every question that got a 200 exists. The
 * platform then delivers again what got no 200, and the total is exactly 300: nothing lost, nothing
 * twice.
 */
const ADMIN_TOKEN = 'crash-test-admin-token-0123456789'
const SECRET = 'crash-zalo-secret-1'
const TOTAL = 300

let dir: string
let zalo: FakeBotApi
let server: ChildProcess | undefined

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loa-crash-'))
  zalo = await startFakeBotApi({ platform: 'zalo' })
})
afterEach(async () => {
  if (server?.pid && server.exitCode === null) server.kill('SIGKILL')
  await zalo.close()
  rmSync(dir, { recursive: true, force: true })
})

const startServer = (port: number) =>
  startServerProcess(port, {
    DATABASE_PATH: join(dir, 'loa.db'),
    ADMIN_TOKEN,
    ZALO_BOT_TOKEN: '987654:crash-zalo-token',
    ZALO_WEBHOOK_SECRET: SECRET,
    ZALO_API_ROOT: zalo.url,
  })
const post = postStatus

const api = async (port: number, path: string, body?: unknown) => {
  const res = await fetch(`http://127.0.0.1:${port}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return (await res.json()) as any
}

const question = (i: number) => zaloMessage('zcrash', `/hoidap Câu hỏi số ${i} về Nghị quyết 71?`, { messageId: `crash-${i}` })
const webhook = (port: number, i: number) => post(port, '/webhook/zalo', question(i), { 'x-bot-api-secret-token': SECRET })

describe('kill -9 in the middle of a burst', () => {
  it('keeps every update that got a 200, and the redelivery of the rest makes exactly 300', async () => {
    const port = await freePort()
    server = await startServer(port)
    await api(port, '/units', { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', kind: 'department' })
    const [person] = (await api(port, '/people', [{ fullName: 'Nguyễn Thị Lan', unitCode: 'SGDDT', roles: ['teacher'] }])).people
    const { code } = await api(port, `/people/${person.id}/invites`, {})
    expect(await post(port, '/webhook/zalo', zaloMessage('zcrash', code), { 'x-bot-api-secret-token': SECRET })).toBe(200)

    const acked = new Set<number>()
    let killed = false
    const sends = Array.from({ length: TOTAL }, (_, i) =>
      webhook(port, i + 1).then((status) => {
        if (status === 200) acked.add(i + 1)
        if (!killed && acked.size >= 100) {
          killed = true
          server!.kill('SIGKILL')
        }
      }),
    )
    await Promise.all(sends)
    expect(killed).toBe(true)
    expect(acked.size).toBeGreaterThanOrEqual(100)
    expect(acked.size).toBeLessThan(TOTAL)

    server = await startServer(port)
    const list = async () => (await api(port, '/questions?status=all&limit=500')).items as { text: string }[]
    const numbers = (items: { text: string }[]) => items.map((q) => Number(/số (\d+)/.exec(q.text)![1]))
    const stored = new Set(numbers(await list()))
    // Every 200 is kept.
    for (const i of acked) expect(stored.has(i)).toBe(true)

    // The platform delivers again what got no 200 (Zalo and Telegram retry a failed webhook).
    const missing = Array.from({ length: TOTAL }, (_, i) => i + 1).filter((i) => !acked.has(i))
    const statuses = await Promise.all(missing.map((i) => webhook(port, i)))
    expect(statuses.every((s) => s === 200)).toBe(true)
    const after = numbers(await list())
    expect(after).toHaveLength(TOTAL)
    expect(new Set(after).size).toBe(TOTAL)
  }, 60_000)
})
