import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * The command line's side of linking (test/integration/linking.test.ts has the chats' and the API's):
 * admins list and revoke links, and the invite sheet prints no code for an admin. Each case runs the
 * CLI as its own process against the server's database file, so these run in the slow project.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
let dir: string | undefined

beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
})
afterEach(async () => {
  await h.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

const json = async (res: Response) => (await res.json()) as any
const links = async (personId: number) => json(await h.api(`/people/${personId}/links`))

describe('admins list and revoke links', () => {
  it('does the same from the command line, in Vietnamese or English', async () => {
    await h.close()
    dir = mkdtempSync(join(tmpdir(), 'loa-links-'))
    const dbPath = join(dir, 'loa.db')
    h = await startHarness({ DATABASE_PATH: dbPath })
    ids = await seedDirectory(h)
    await enroll(h, ids.lan, 'telegram', '6123457890')
    const [link] = (await links(ids.lan)).items
    // Lan has a console account and a token minted after the chat was linked.
    await h.api(`/people/${ids.lan}/console-role`, { method: 'PUT', body: { role: 'viewer' } })
    h.setNow(new Date(h.now().getTime() + 60_000))
    const token = (await json(await h.api('/tokens', { body: { personId: ids.lan, label: 'script' } }))).token as string
    expect((await h.api('/units', { token })).status).toBe(200)

    const listed = await cli(dbPath, 'links', String(ids.lan))
    expect(listed.code).toBe(0)
    expect(listed.out).toContain(`Liên kết của Nguyễn Thị Lan (cán bộ số ${ids.lan}):`)
    expect(listed.out).toMatch(new RegExp(`#${link.id}\\s+Telegram\\s+…890\\s+liên kết lúc 09:00 16/03/2026\\s+đang hoạt động`))
    expect(listed.out).not.toContain('6123457890')

    const wrong = await cli(dbPath, 'unlink', String(ids.lan), '999', '--lang', 'en')
    expect(wrong.code).toBe(1)
    expect(wrong.err).toContain(`Person ${ids.lan} has no link with id 999.`)

    // --now: the harness runs on its own clock, and the notice is due from then.
    const unlinked = await cli(dbPath, 'unlink', String(ids.lan), String(link.id), '--now', h.now().toISOString())
    expect(unlinked.code).toBe(0)
    expect(unlinked.out).toContain(`Đã huỷ liên kết #${link.id} (Telegram …890) của Nguyễn Thị Lan.`)
    expect((await cli(dbPath, 'links', String(ids.lan))).out).toContain('chưa liên kết cuộc trò chuyện nào')
    expect(unlinked.out).toContain('Đã kết thúc 0 phiên bảng điều khiển của người này và thu hồi 1 mã API')
    // The token that chat could have led to is revoked.
    expect((await h.api('/units', { token })).status).toBe(401)

    // The running server sends the notice the CLI queued.
    await h.flush()
    expect(h.lastText(h.telegram, '6123457890')).toContain('Quản trị viên đã huỷ liên kết')
  })
})

describe('an admin account is linked only with an admin’s code from the last day', () => {
  it('prints no code for an admin on the invite sheet, only where their personal code comes from', async () => {
    await h.close()
    dir = mkdtempSync(join(tmpdir(), 'loa-links-'))
    const dbPath = join(dir, 'loa.db')
    h = await startHarness({ DATABASE_PATH: dbPath })
    ids = await seedDirectory(h)
    const sheet = join(dir, 'invites.csv')
    const printed = await cli(dbPath, 'invites', '--out', sheet)
    expect(printed.code).toBe(0)
    expect(printed.out).toContain('Đã ghi 2 mã mời')
    expect(printed.out).toContain('1 người có quyền quản trị hoặc tài khoản bảng điều khiển không có mã trong tệp')
    const lines = readFileSync(sheet, 'utf8').split('\n')
    // unit code, unit name, staff id, full name, invite code, …
    const phuc = lines.find((r) => r.includes('Lê Hoàng Phúc'))!
    expect(phuc).toContain(`chỉ liên kết được bằng mã riêng do quản trị viên cấp cho họ (trang của người này trong Danh bạ: «Cấp mã riêng», hoặc POST /api/people/${ids.phuc}/invites)`)
    expect(phuc).not.toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}/)
    const lanCode = lines.find((r) => r.includes('Nguyễn Thị Lan'))!.split(';')[4]!
    await h.say.telegram(602, `/start ${lanCode}`)
    expect(h.texts(h.telegram, 602)[0]).toContain('Xin chào Nguyễn Thị Lan')
  })
})

const root = new URL('../..', import.meta.url).pathname
function cli(dbPath: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((ok) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/entry.cli.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, DATABASE_PATH: dbPath, TELEGRAM_BOT_TOKEN: '123456:CLI-test', TELEGRAM_BOT_USERNAME: 'nq71_cantho_bot', LOG_LEVEL: 'error' },
      },
      (error, out, err) => ok({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    )
  })
}
