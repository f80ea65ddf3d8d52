import { openSqlite } from '#db/sqlite.js'
import { parseConfig } from '#src/config.js'
import type { AppDeps } from '#src/deps.js'
import { createNodeDeps } from '#src/node/deps.js'

/** Deps for a bench run: a file database and channels pointed at a fake Bot API on 127.0.0.1. */
export function benchDeps(dbPath: string, telegramRoot: string, ratePerSecond: number) {
  const config = parseConfig({
    DATABASE_PATH: dbPath,
    ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
    BOT_MODE: 'polling',
    TELEGRAM_BOT_TOKEN: '123456:BENCH-telegram-token',
    TELEGRAM_API_ROOT: telegramRoot,
    TELEGRAM_RATE_PER_SECOND: String(ratePerSecond),
  })
  const { db, committed, close } = openSqlite(dbPath)
  const deps = createNodeDeps(config, { db, committed }, { adminTokenHash: '' })
  return { deps, db, close }
}

/**
 * Fills the directory fast, straight through SQLite: `units` units in a three-level tree and
 * `people` people spread over the schools, each linked to one chat (`zaloShare` of them on Zalo,
 * the rest on Telegram with chat ids 1..n).
 */
export function seedBig(db: AppDeps['db'], opts: { units: number; people: number; zaloShare?: number }) {
  const client = (db as unknown as { $client: import('better-sqlite3').Database }).$client
  const now = Math.floor(Date.now() / 1000)
  const insertUnit = client.prepare(
    'insert into units (code, name, kind, parent_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
  )
  const insertPerson = client.prepare(
    'insert into people (external_id, full_name, unit_id, roles, locale, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)',
  )
  const insertLink = client.prepare('insert into chat_links (person_id, channel, chat_id, linked_at) values (?, ?, ?, ?)')
  const communes = Math.max(1, Math.floor(opts.units / 20))
  client.transaction(() => {
    const root = Number(insertUnit.run('SGDDT', 'Sở Giáo dục và Đào tạo', 'department', null, now, now).lastInsertRowid)
    const communeIds: number[] = []
    for (let i = 0; i < communes; i++) {
      communeIds.push(Number(insertUnit.run(`XA-${i}`, `UBND xã ${i}`, 'commune', root, now, now).lastInsertRowid))
    }
    const schoolIds: number[] = []
    for (let i = 0; i < opts.units - communes - 1; i++) {
      schoolIds.push(Number(insertUnit.run(`TRUONG-${i}`, `Trường ${i}`, 'school', communeIds[i % communes], now, now).lastInsertRowid))
    }
    const zaloEvery = opts.zaloShare ? Math.round(1 / opts.zaloShare) : 0
    for (let i = 1; i <= opts.people; i++) {
      const roles = i % 10 === 0 ? '["manager"]' : '["teacher"]'
      const pid = Number(
        insertPerson.run(`P${i}`, `Người ${i}`, schoolIds[i % schoolIds.length], roles, i % 7 === 0 ? 'en' : 'vi', now, now)
          .lastInsertRowid,
      )
      const onZalo = zaloEvery > 0 && i % zaloEvery === 0
      insertLink.run(pid, onZalo ? 'zalo' : 'telegram', onZalo ? `z${i}` : String(i), now)
    }
  })()
}
