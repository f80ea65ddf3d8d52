// The app-level backup (src/domain/backup.ts) at a city's size: npx tsx bench/backup.ts [people]
//
// In memory, through the real app: the people in 200 schools, each with a linked chat (one linked
// through a webhook, the rest copied in SQL), a brief to all of them expanded by its job; then
// GET /api/backup read to its end (size, time, memory), and POST /api/backup/restore of that file
// into a fresh server (time, rows). README, "Backups on Workers".
import { sql } from 'drizzle-orm'
import { enroll, startHarness } from '../test/helpers/harness.js'

const N = Number(process.argv[2] ?? 20000)
const a = await startHarness()
await a.api('/jobs/reach-rollup/run', { body: {} })
await a.api('/units', { body: [{ code: 'SGDDT', name: 'Sở', kind: 'department' }, ...Array.from({ length: 200 }, (_, i) => ({ code: `S${i}`, name: `Trường số ${i}`, kind: 'school', parentCode: 'SGDDT' }))] })
for (let i = 0; i < N; i += 5000) {
  const rows = Array.from({ length: Math.min(5000, N - i) }, (_, j) => ({ externalId: `GV${i + j}`, fullName: `Nguyễn Thị Người ${i + j}`, unitCode: `S${(i + j) % 200}`, roles: ['teacher'], phone: `09${String(10000000 + i + j)}` }))
  const r = await a.api('/people', { body: rows })
  if (r.status !== 200) throw new Error(await r.text())
}
await enroll(a, 1, 'telegram', '5000001')
const cols = (await a.db.all<{ name: string }>(sql.raw(`pragma table_info(chat_links)`))).map((c) => c.name).filter((c) => c !== 'id')
const pick = cols.map((c) => (c === 'person_id' ? 'p.id' : c === 'chat_id' ? `'5' || (1000000 + p.id)` : `l.${c}`))
await a.db.run(sql.raw(`insert into chat_links (${cols.join(',')}) select ${pick.join(',')} from chat_links l, people p where l.person_id = 1 and p.id <> 1`))
const b1 = await a.api('/broadcasts', { body: { kind: 'brief', title: 'Bản tin', body: 'Nội dung bản tin về Nghị quyết 71.', audience: { unitCodes: ['SGDDT'] } } })
console.log('brief', b1.status)
for (let k = 0; k < 30; k++) await a.api('/jobs/broadcasts/run', { body: {} })
const count = async (db: typeof a.db, t: string) => (await db.all<{ n: number }>(sql.raw(`select count(*) as n from ${t}`)))[0]!.n
for (const t of ['people', 'chat_links', 'deliveries', 'broadcast_recipients', 'audit_log']) console.log(t, await count(a.db, t))
const mem0 = process.memoryUsage().rss
let t0 = performance.now()
const res = await a.api('/backup')
let bytes = 0
const reader = res.body!.getReader()
const parts: Uint8Array[] = []
for (;;) { const { done, value } = await reader.read(); if (done) break; bytes += value.length; parts.push(value) }
const exportMs = performance.now() - t0
const file = Buffer.concat(parts).toString('utf8')
console.log('export', (bytes / 1024 / 1024).toFixed(1), 'MiB', exportMs.toFixed(0), 'ms', 'rss +', ((process.memoryUsage().rss - mem0) / 1048576).toFixed(0), 'MiB')
const b = await startHarness()
t0 = performance.now()
const r = await b.app.request('/api/backup/restore', { method: 'POST', headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' }, body: file })
console.log('restore', r.status, (performance.now() - t0).toFixed(0), 'ms', JSON.stringify(await r.json()).slice(0, 300))
for (const t of ['people', 'chat_links', 'deliveries', 'broadcast_recipients']) console.log(t, await count(b.db, t))
await a.close(); await b.close()
