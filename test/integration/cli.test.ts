import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/** The command line as an admin runs it (`npm run cli -- …`), on its own SQLite file. */
const root = new URL('../..', import.meta.url).pathname
let dir: string
let dbPath: string

function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((ok) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/entry.cli.ts', ...args],
      { cwd: root, env: { ...process.env, DATABASE_PATH: dbPath, TELEGRAM_BOT_TOKEN: '123456:CLI-test', TELEGRAM_BOT_USERNAME: 'nq71_cantho_bot', LOG_LEVEL: 'error' } },
      (error, out, err) => ok({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    )
  })
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-cli-'))
  dbPath = join(dir, 'loa.db')
  writeFileSync(
    join(dir, 'units.csv'),
    '\uFEFFMã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Số cán bộ\n' +
      'SGDDT,Sở GD&ĐT Cần Thơ,Sở,,\n' +
      'THPT-CVL,THPT Châu Văn Liêm,Trường,SGDDT,80\n' +
      'THCS-X,Trường THCS X,Trường,KHONG-CO,20\n',
  )
  writeFileSync(
    join(dir, 'people.csv'),
    'external_id,full_name,unit_code,roles\nGV1,Trần Thị Lan,THPT-CVL,giáo viên\nGV2,Lê Văn Minh,THPT-CVL,giáo viên; đầu mối\nGV3,Ai Đó,THPT-CVL,phi hành gia\n',
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Each step starts the CLI as its own process (tsx): slow on a busy machine, so a minute a test.
describe('command line', { timeout: 60_000 }, () => {
  it('imports units and people, in Vietnamese, naming the database and each bad row; a file with a bad row writes nothing', async () => {
    const units = await cli('import', 'units', join(dir, 'units.csv'))
    expect(units.code).toBe(2)
    expect(units.err.trim()).toBe(`Cơ sở dữ liệu: ${dbPath}`)
    expect(units.out).toContain('units.csv: 1 dòng có lỗi; chưa có gì được ghi.')
    expect(units.out).toContain('  Dòng 4, cột "Mã đơn vị cấp trên": không có đơn vị cấp trên mã KHONG-CO')
    const read = () => new Database(dbPath, { readonly: true })
    let db = read()
    expect(db.prepare('select count(*) n from units').get()).toEqual({ n: 0 })
    db.close()

    writeFileSync(join(dir, 'units.csv'), readFileSync(join(dir, 'units.csv'), 'utf8').replace('KHONG-CO', 'SGDDT'))
    const dry = await cli('import', join(dir, 'units.csv'), '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.err.trim()).toBe(`Cơ sở dữ liệu (chỉ kiểm tra, không ghi): ${dbPath}`)
    expect(dry.out).toContain('units.csv: chạy thử, chưa ghi gì. Sẽ ghi 3 đơn vị (3 mới, 0 cập nhật) và 0 cán bộ')
    const done = await cli('import', join(dir, 'units.csv'))
    expect(done.code).toBe(0)
    expect(done.out).toMatch(/units\.csv: đã ghi 3 đơn vị \(3 mới, 0 cập nhật\) và 0 cán bộ \(0 mới, 0 cập nhật\) trong [\d.]+ giây\./)

    const people = await cli('import', 'people', join(dir, 'people.csv'), '--lang', 'en')
    expect(people.code).toBe(2)
    expect(people.err.trim()).toBe(`Database: ${dbPath}`)
    expect(people.out).toContain('people.csv: 1 row(s) have errors; nothing was written.')
    expect(people.out).toContain('  Row 4, column "roles": "phi hành gia" is not a role')
    writeFileSync(join(dir, 'people.csv'), readFileSync(join(dir, 'people.csv'), 'utf8').replace('GV3,Ai Đó,THPT-CVL,phi hành gia\n', ''))
    expect((await cli('import', 'people', join(dir, 'people.csv'))).code).toBe(0)

    db = read()
    try {
      expect(db.prepare('select count(*) n from units').get()).toEqual({ n: 3 })
      expect(db.prepare(`select roles from people where external_id = 'GV2'`).get()).toEqual({ roles: '["teacher","focal_point"]' })
    } finally {
      db.close()
    }
  }, 60_000)

  it('says why an .xlsx it cannot read is refused, with no stack trace', async () => {
    writeFileSync(join(dir, 'broken.xlsx'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]))
    const res = await cli('import', join(dir, 'broken.xlsx'))
    expect(res.code).toBe(1)
    expect(res.err.trim()).toBe(`Cơ sở dữ liệu: ${dbPath}\nKhông đọc được ${join(dir, 'broken.xlsx')} như một bảng tính .xlsx. Hãy lưu lại bằng Excel dạng .xlsx hoặc CSV.`)
    const missing = await cli('import', join(dir, 'khong-co.xlsx'))
    expect(missing.err.trim()).toBe(`Cơ sở dữ liệu: ${dbPath}\nKhông mở được tệp ${join(dir, 'khong-co.xlsx')}.`)
  })

  it('prints an invite sheet whose codes are all stored', async () => {
    const out = join(dir, 'invites.csv')
    const res = await cli('invites', '--out', out)
    expect(res.err.trim()).toBe(`Cơ sở dữ liệu: ${dbPath}`)
    expect(res.out.trim()).toBe(`Đã ghi 2 mã mời vào ${out} (0 mã còn hạn in lại, 2 mã mới).`)
    const bytes = readFileSync(out)
    // A byte-order mark, so that Excel opens the Vietnamese names as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]).toBe('Mã đơn vị;Tên đơn vị;Mã cán bộ;Họ và tên;Mã mời;Liên kết Telegram;Hết hạn')
    expect(lines).toHaveLength(3)
    expect(lines.find((l) => l.includes(';GV1;'))).toMatch(
      /^THPT-CVL;THPT Châu Văn Liêm;GV1;Trần Thị Lan;[A-Z0-9]{4}-[A-Z0-9]{4};https:\/\/t\.me\/nq71_cantho_bot\?start=[A-Z0-9-]+;\d{2}\/\d{2}\/\d{4}$/,
    )
    const db = new Database(dbPath, { readonly: true })
    try {
      expect(db.prepare('select count(*) n from invites').get()).toEqual({ n: 2 })
    } finally {
      db.close()
    }
  })

  it('explains a wrong job name or time instead of failing silently', async () => {
    const job = await cli('run-job', 'nhac-nho')
    expect(job.code).toBe(1)
    expect(job.err).toContain('Không có tác vụ "nhac-nho". Các tác vụ: ')
    const when = await cli('run-job', 'reminders', '--now', 'ngày mai', '--lang', 'en')
    expect(when.err).toContain('--now: "ngày mai" is not a date and time')
    const help = await cli('--help')
    expect(help.out).toMatch(/^Cách dùng: npm run cli -- <lệnh>/)
    expect(help.out).toContain('erase SỐ-CÁN-BỘ')
  })

  it('erases a person: the name, the staff ID and the invite codes go, the tombstone stays for the counts', async () => {
    const read = new Database(dbPath, { readonly: true })
    const { id } = read.prepare(`select id from people where external_id = 'GV1'`).get() as { id: number }
    read.close()
    const res = await cli('erase', String(id))
    expect(res.code).toBe(0)
    expect(res.out.trim()).toBe(
      `Đã xoá dữ liệu cá nhân của cán bộ số ${id}: gỡ 0 tài khoản chat, thu hồi 1 mã mời, huỷ 0 tin chưa gửi, xoá nội dung 0 câu hỏi. Số liệu thống kê giữ nguyên.`,
    )
    const db = new Database(dbPath, { readonly: true })
    try {
      expect(db.prepare('select full_name, external_id, phone, unit_id is not null as unit, roles, erased_at is not null as erased from people where id = ?').get(id)).toEqual({
        full_name: '',
        external_id: null,
        phone: null,
        unit: 1,
        roles: '["teacher"]',
        erased: 1,
      })
      expect(db.prepare('select count(*) n from invites where person_id = ?').get(id)).toEqual({ n: 0 })
      expect(JSON.stringify(db.prepare('select * from people').all())).not.toContain('Trần Thị Lan')
    } finally {
      db.close()
    }
    const again = await cli('erase', String(id), '--lang', 'en')
    expect(again.code).toBe(1)
    expect(again.err.trim()).toBe(`Database: ${dbPath}\nPerson ${id} was erased from the directory; there is no personal data left to change.`)
    expect((await cli('erase', 'GV1')).err.trim()).toBe(`Cơ sở dữ liệu: ${dbPath}\n` + 'erase: "GV1" không phải số cán bộ (xem "id" trong GET /api/people).')
    expect((await cli('erase', '999')).err.trim()).toBe(`Cơ sở dữ liệu: ${dbPath}\n` + 'Không có cán bộ số 999.')
    // The invite sheet no longer names them (nor issues them a code).
    const out = join(dir, 'invites-after.csv')
    await cli('invites', '--out', out)
    expect(readFileSync(out, 'utf8')).not.toContain(';GV1;')
  })

  it('confirms a link so that it gets console sign-in codes at once, and names a link that is not the person\'s', async () => {
    const db = new Database(dbPath)
    const { id } = db.prepare(`select id from people where external_id = 'GV2'`).get() as { id: number }
    const linkId = Number(db.prepare(`insert into chat_links (person_id, channel, chat_id, linked_at) values (?, 'telegram', '7100123', unixepoch())`).run(id).lastInsertRowid)
    db.close()
    const res = await cli('confirm-link', String(id), String(linkId))
    expect(res.code).toBe(0)
    expect(res.out.trim()).toBe(`Đã xác nhận liên kết #${linkId} (Telegram …123) của Lê Văn Minh: cuộc trò chuyện này nhận được mã đăng nhập bảng điều khiển ngay.`)
    const read = new Database(dbPath, { readonly: true })
    expect(read.prepare('select confirmed_at is not null as confirmed from chat_links where id = ?').get(linkId)).toEqual({ confirmed: 1 })
    read.close()
    const wrong = await cli('confirm-link', String(id), '99999', '--lang', 'en')
    expect(wrong.code).toBe(1)
    expect(wrong.err.trim()).toBe(`Database: ${dbPath}\nPerson ${id} has no link with id 99999.`)
  })

  it('refuses to prune as of a time more than a day ahead, but runs it as of now', async () => {
    const future = await cli('run-job', 'prune-updates', '--now', '2099-01-01T00:00:00+07:00')
    expect(future.code).toBe(1)
    expect(future.err).toMatch(/\nTác vụ prune-updates xoá dữ liệu nên không chạy được với --now quá 1 ngày sau hiện tại \(\d{4}-/)
    const today = await cli('run-job', 'prune-updates')
    expect(today.code).toBe(0)
    expect(JSON.parse(today.out)).toMatchObject({ job: 'prune-updates', pruned: true })
  })

  it('names a bad REMINDER_CRON in the configuration errors, without a stack trace', async () => {
    const bad = await new Promise<{ code: number; err: string }>((ok) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/entry.cli.ts', 'run-job', 'reminders'],
        { cwd: root, env: { ...process.env, DATABASE_PATH: dbPath, REMINDER_CRON: '0 25 * * *', ADMIN_TOKEN: 'short' } },
        (error, _out, err) => ok({ code: error ? Number(error.code ?? 1) : 0, err }),
      )
    })
    expect(bad.code).toBe(1)
    expect(bad.err).toContain('Invalid configuration:')
    expect(bad.err).toContain('REMINDER_CRON: 25 is a invalid expression for hour')
    expect(bad.err).toContain('ADMIN_TOKEN: at least 32 characters')
    expect(bad.err).not.toMatch(/\n\s+at /)
  })
})
