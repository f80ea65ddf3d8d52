// What PRAGMA secure_delete = ON (db/sqlite.ts) costs: npx tsx bench/secure-delete.ts [messages] [rounds]
//
// The write pattern of chat traffic on the real schema, through openSqlite (WAL, group commit,
// fdatasync), with secure_delete OFF and ON alternately on fresh files:
//   messages – per message, what the router writes: the update id, a reply of ~300 bytes in the
//              outbox, the reply marked sent (its row rewritten); 100 messages an event-loop turn;
//   prune    – what retention and erasure free: every payload emptied, every update id deleted,
//              in chunks of 2,000 (the freed bytes are what secure_delete zeroes).
import { sql } from 'drizzle-orm'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite } from '#db/sqlite.js'

const messages = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 3)
const payload = JSON.stringify({ text: `Xin chào Nguyễn Thị Lan! ${'Tài khoản của bạn đã được liên kết với Trường THCS An Hòa. '.repeat(4)}` })

async function run(secureDelete: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'loa-sd-'))
  const file = join(dir, 'loa.db')
  const { db, committed, checkpoint, close } = openSqlite(file)
  try {
    await db.run(sql.raw(`pragma secure_delete = ${secureDelete ? 'ON' : 'OFF'}`))
    await committed()
    const at = 1_773_626_400
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    for (let i = 0; i < messages; i++) {
      const chat = `chat${i % 2000}`
      await db.run(sql`insert into processed_updates (channel, update_id, chat_id, received_at) values ('telegram', ${`u${i}`}, ${chat}, ${at})`)
      await db.run(sql`insert into deliveries (source, source_id, channel, chat_id, locale, payload, dedupe_key, status, priority, next_attempt_at, created_at)
        values ('reply', 0, 'telegram', ${chat}, 'vi', ${payload}, ${`reply:${i}`}, 'queued', 100, ${at}, ${at})`)
      await db.run(sql`update deliveries set status = 'sent', sent_at = ${at}, message_id = ${String(i)} where dedupe_key = ${`reply:${i}`}`)
      if (i % 100 === 99) await committed()
    }
    await committed()
    const t1 = performance.now()
    const c1 = process.cpuUsage(c0)
    for (;;) {
      const rows = await db.all(sql`update deliveries set payload = null where id in (select id from deliveries where payload is not null limit 2000) returning id`)
      await db.run(sql`delete from processed_updates where rowid in (select rowid from processed_updates limit 2000)`)
      await committed()
      if (rows.length < 2000) break
    }
    const t2 = performance.now()
    // What an erasure then adds on Node: the WAL checkpointed into the file and truncated.
    const wal = statSync(`${file}-wal`).size
    const t3 = performance.now()
    checkpoint()
    const checkpointMs = performance.now() - t3
    const cpu = (c1.user + c1.system) / 1000 / messages
    return { write: (t1 - t0) / messages, cpu, prune: (t2 - t1) / messages, checkpointMs, wal }
  } finally {
    close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const results: Record<'off' | 'on', { write: number; cpu: number; prune: number; checkpointMs: number; wal: number }[]> = { off: [], on: [] }
for (let r = 0; r < rounds; r++) {
  for (const mode of r % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
    const got = await run(mode === 'on')
    results[mode].push(got)
    console.log(`round ${r + 1} secure_delete ${mode.padEnd(3)} write ${(got.write * 1000).toFixed(1)} µs/message (CPU ${(got.cpu * 1000).toFixed(1)} µs)  prune ${(got.prune * 1000).toFixed(1)} µs/message  checkpoint of ${(got.wal / 1048576).toFixed(1)} MiB of WAL ${got.checkpointMs.toFixed(0)} ms`)
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
for (const mode of ['off', 'on'] as const) {
  const rs = results[mode]
  console.log(
    `secure_delete ${mode}: median write ${(median(rs.map((r) => r.write)) * 1000).toFixed(1)} µs/message (CPU ${(median(rs.map((r) => r.cpu)) * 1000).toFixed(1)} µs), prune ${(median(rs.map((r) => r.prune)) * 1000).toFixed(1)} µs/message (${messages} messages, ${rounds} rounds)`,
  )
}
