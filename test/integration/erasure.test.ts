import { sql } from 'drizzle-orm'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { backupSqlite } from '#db/backup.js'
import { consoleClient } from '../helpers/console.js'
import { enroll, inviteCode, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * Erasure (Decree 13) leaves nothing of the person behind: not in any row of any table (outbox
 * rows of chats replaced or unlinked earlier, the greeting queued before the chat was linked,
 * update rows of old chats, the addresses of their console sign-ins), nor in the bytes of the
 * database file, its WAL or a backup made afterwards. Their export lists the rows erasure clears.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
let dir: string
let file: string

const NAME = 'Nguyễn Thị Lan'
const PHONE = '0912345678'
const OLD_TG = '6300000071'
const NEW_TG = '6300000072'
const ZALO = 'zl-lan-old-71'
const IP = '192.0.2.130'
const QUESTION = 'Khi nào có tài liệu tập huấn Nghị quyết 71?'

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loa-erasure-'))
  file = join(dir, 'loa.db')
  h = await startHarness({ DATABASE_PATH: file })
  ids = await seedDirectory(h)
})
afterEach(async () => {
  await h.close()
  rmSync(dir, { recursive: true, force: true })
})

const json = async (path: string, init: Parameters<Harness['api']>[1] = {}) => (await (await h.api(path, init)).json()) as any

/** Every row of every table, column by column: where a value of the person is still held. */
async function holders(values: readonly string[]): Promise<string[]> {
  // Sign-in limits are keyed by address, not person, and go after a day (the retention job).
  const tables = await h.db.all<{ name: string }>(
    sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'console_signin_limits'`,
  )
  const found: string[] = []
  for (const { name } of tables) {
    for (const row of await h.db.all<Record<string, unknown>>(sql.raw(`select * from "${name}"`))) {
      for (const [column, value] of Object.entries(row)) {
        for (const v of values) if (value != null && String(value).includes(v)) found.push(`${name}.${column} ∋ ${v}`)
      }
    }
  }
  return [...new Set(found)]
}

const bytesOf = (path: string) => (existsSync(path) ? readFileSync(path) : Buffer.alloc(0))
const holds = (bytes: Buffer, text: string) => bytes.includes(Buffer.from(text, 'utf8'))

/**
 * Lan's history: a Telegram chat replaced by a newer one, a Zalo chat the admin unlinked, a
 * question, a console sign-in from her address.
 */
async function lanWithHistory() {
  await h.api(`/people/${ids.lan}`, { method: 'PATCH', body: { phone: PHONE } })
  await enroll(h, ids.lan, 'telegram', OLD_TG)
  // She wrote from the Zalo chat before linking it: answered "not linked", a reply of nobody yet.
  await h.say.zalo(ZALO, 'xin chào')
  await enroll(h, ids.lan, 'zalo', ZALO)
  await h.say.telegram(OLD_TG, '/huongdan')
  await h.say.zalo(ZALO, '/huongdan')
  await h.say.telegram(NEW_TG, `/start ${await inviteCode(h, ids.lan)}`)
  const zaloLink = (await json(`/people/${ids.lan}/links`)).items.find((l: any) => l.channel === 'zalo')
  expect((await h.api(`/people/${ids.lan}/links/${zaloLink.id}`, { method: 'DELETE' })).status).toBe(200)
  await h.say.telegram(NEW_TG, `/hoidap ${QUESTION}`)
  await h.api(`/people/${ids.lan}/console-role`, { method: 'PUT', body: { role: 'viewer' } })
  // A sign-in code goes only to a chat linked more than a day ago.
  h.setNow(new Date(h.now().getTime() + 86_400_000 + 60_000))
  await consoleClient(h, { ip: IP }).signInWithCode(PHONE, NEW_TG)
  await h.flush()
}

describe('erasing a person with a history', () => {
  it('leaves her name, phone, chat ids and addresses in no row of any table, and her export listed them all before', async () => {
    await lanWithHistory()
    const hers = [NAME, PHONE, OLD_TG, NEW_TG, ZALO, QUESTION]
    // Before: the greeting to her old chats names her, and her export lists those rows.
    expect(await holders(hers)).toEqual(expect.arrayContaining([`deliveries.payload ∋ ${NAME}`, `deliveries.chat_id ∋ ${OLD_TG}`, `processed_updates.chat_id ∋ ${ZALO}`]))
    const exported = await json(`/people/${ids.lan}/export`)
    const exportedChats = (rows: { chatId: string | null }[]) => new Set(rows.map((r) => r.chatId))
    expect(exportedChats(exported.deliveries)).toEqual(new Set([OLD_TG, NEW_TG, ZALO]))
    expect(exportedChats(exported.updates)).toEqual(new Set([OLD_TG, NEW_TG, ZALO]))
    expect(exported.deliveries.some((d: any) => d.chatId === OLD_TG && d.source === 'reply')).toBe(true)
    expect(await h.db.all(sql`select 1 from deliveries where chat_id = ${ZALO} and person_id is null`)).toHaveLength(1)
    // The greeting to the chat a /start code just linked is recorded as hers.
    const greeting = await h.db.all<{ personId: number }>(sql`select person_id as personId from deliveries where chat_id = ${OLD_TG} and payload like ${`%${NAME}%`}`)
    expect(greeting.length).toBeGreaterThan(0)
    expect(greeting.every((g) => g.personId === ids.lan)).toBe(true)
    const signIns = exported.auditLog.filter((a: any) => a.path === '/admin/login/verify')
    expect(signIns).toHaveLength(1)
    const address = signIns[0].ip as string | null

    const erased = await h.api(`/people/${ids.lan}`, { method: 'DELETE' })
    expect(erased.status).toBe(200)

    expect(await holders(address ? [...hers, address] : hers)).toEqual([])
    // The audit log keeps what was done, and when, without where from.
    const after = await json(`/people/${ids.lan}/export`)
    expect(after.auditLog.map((a: any) => [a.path, a.ip])).toEqual(exported.auditLog.map((a: any) => [a.path, null]))
    expect(after).toMatchObject({ deliveries: expect.any(Array), updates: [], links: [] })
    expect(JSON.stringify(after)).not.toContain(OLD_TG)
    // Other people's rows are untouched.
    expect(await holders(['Trần Văn Minh'])).not.toEqual([])
  })

  it('leaves the rows of a chat she gave up to the person who linked it after her', async () => {
    const SHARED = '6300000079'
    await enroll(h, ids.lan, 'telegram', SHARED)
    await h.say.telegram(SHARED, '/huongdan')
    const [link] = (await json(`/people/${ids.lan}/links`)).items
    expect((await h.api(`/people/${ids.lan}/links/${link.id}`, { method: 'DELETE' })).status).toBe(200)
    // A minute later the phone is Minh's: he links the same chat and writes from it.
    h.setNow(new Date(h.now().getTime() + 60_000))
    await enroll(h, ids.minh, 'telegram', SHARED)
    await h.say.telegram(SHARED, '/huongdan')
    await h.flush()
    const updates = async () => (await h.db.all<{ n: number }>(sql`select count(*) as n from processed_updates where chat_id = ${SHARED}`))[0]!.n
    const before = await updates()

    expect((await h.api(`/people/${ids.lan}`, { method: 'DELETE' })).status).toBe(200)
    // Her two updates (the code, /huongdan) lose the chat; Minh's two keep it, and his conversation goes on.
    expect((await json(`/people/${ids.minh}/export`)).updates.map((u: any) => u.chatId)).toEqual([SHARED, SHARED])
    expect(await updates()).toBe(before - 2)
    expect((await json(`/people/${ids.minh}/export`)).updates.map((u: any) => u.chatId)).toEqual([SHARED, SHARED])
    expect(await holders([NAME])).toEqual([])
    await h.say.telegram(SHARED, '/huongdan')
    expect(h.lastText(h.telegram, SHARED)).not.toMatch(/chưa được liên kết/)
  })

  it('leaves none of her in the bytes of the database file, its WAL after the checkpoint, or a backup made afterwards', async () => {
    await lanWithHistory()
    const wal = `${file}-wal`
    expect(holds(Buffer.concat([bytesOf(file), bytesOf(wal)]), NAME)).toBe(true)

    expect((await h.api(`/people/${ids.lan}`, { method: 'DELETE' })).status).toBe(200)
    const backup = join(dir, 'after.db')
    await backupSqlite(file, backup)
    for (const [where, bytes] of [
      ['database file', bytesOf(file)],
      ['WAL', bytesOf(wal)],
      ['backup', bytesOf(backup)],
    ] as const) {
      for (const text of [NAME, PHONE, QUESTION]) expect(`${where}: ${holds(bytes, text)}`).toBe(`${where}: false`)
    }
    // The server goes on: the next writes land in the WAL as before.
    await h.say.telegram(NEW_TG, '/huongdan')
    expect(h.lastText(h.telegram, NEW_TG)).toMatch(/chưa được liên kết/)
  })
})
