/**
 * The console overview at city scale: 100,000 people in 2,000 units, and one million delivery
 * records (outbox rows, attendance, quiz attempts) with an acknowledgement row per broadcast
 * delivery. Seeds a temporary SQLite file with raw prepared inserts in one transaction, then times
 * the overview (domain call) and GET /api/targets over the real app.
 *   npx tsx bench/overview.ts            (BENCH_PEOPLE=… BENCH_RUNS=… to vary)
 */
import Database from 'better-sqlite3'
import { sql } from 'drizzle-orm'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite } from '#db/sqlite.js'
import { startSession } from '#src/domain/console/signin-sessions.js'
import { overview } from '#src/domain/overview.js'
import { buildReachRollup } from '#src/domain/reach-rollup.js'
import { resolveSpan } from '#src/domain/targets.js'
import { startHarness } from '../test/helpers/harness.js'

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000)
const UNITS = 2000
const COMMUNES = 100
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const TZ = 'Asia/Ho_Chi_Minh'
const NOW = new Date('2026-06-20T03:00:00Z')
const dir = mkdtempSync(join(tmpdir(), 'loa-bench-overview-'))
const path = join(dir, 'loa.db')

// A fixed pseudo-random sequence (mulberry32), so every run seeds the same city.
let seed = 71
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
const ts = (iso: string) => Math.floor(new Date(iso).getTime() / 1000)
const JAN = ts('2026-01-01T00:00:00+07:00')
const DAY = 86_400

openSqlite(path).close() // the schema, by the migrations
const raw = new Database(path)
raw.pragma('journal_mode = WAL')
raw.pragma('synchronous = OFF')
let t0 = performance.now()
const counts = { deliveries: 0, recipients: 0, acks: 0, attendance: 0, quizAttempts: 0 }

raw.transaction(() => {
  const unit = raw.prepare('insert into units (id, code, name, kind, parent_id, staff_count) values (?, ?, ?, ?, ?, ?)')
  unit.run(1, 'SGDDT', 'Sở Giáo dục và Đào tạo', 'department', null, 120)
  for (let i = 0; i < COMMUNES; i++) unit.run(2 + i, `P${i}`, `UBND phường ${i}`, 'commune', 1, rand() < 0.5 ? 30 : null)
  const schools: number[] = []
  for (let id = 2 + COMMUNES; id <= UNITS; id++) {
    // Most schools belong to a ward; a tenth to the Department; a few units are newsrooms.
    const kind = id % 97 === 0 ? 'press' : 'school'
    unit.run(id, `T${id}`, `Trường ${id}`, kind, rand() < 0.9 ? 2 + Math.floor(rand() * COMMUNES) : 1, rand() < 0.8 ? 40 + Math.floor(rand() * 40) : null)
    schools.push(id)
  }

  const person = raw.prepare('insert into people (id, full_name, unit_id, roles, created_at, updated_at) values (?, ?, ?, ?, ?, ?)')
  const link = raw.prepare('insert into chat_links (person_id, channel, chat_id, linked_at) values (?, ?, ?, ?)')
  const linked: number[] = []
  const unitOfPerson: number[] = []
  const hasFocal = new Set<number>()
  for (let id = 1; id <= PEOPLE; id++) {
    const r = rand()
    const unitId = r < 0.01 ? 1 : r < 0.05 ? 2 + Math.floor(rand() * COMMUNES) : pick(schools)
    const roles = [rand() < 0.9 ? 'teacher' : 'manager']
    if (rand() < 0.03) roles.push('comms_staff')
    if (!hasFocal.has(unitId)) {
      hasFocal.add(unitId)
      roles.push('focal_point')
    }
    // Most were loaded before the year began; some joined during it.
    const created = rand() < 0.8 ? JAN - 30 * DAY : JAN + Math.floor(rand() * 160) * DAY
    person.run(id, `Cán bộ ${id}`, unitId, JSON.stringify(roles), created, created)
    unitOfPerson[id] = unitId
    if (rand() < 0.85) {
      link.run(id, rand() < 0.6 ? 'zalo' : 'telegram', `c${id}`, created + DAY)
      linked.push(id)
    }
  }

  // 24 broadcasts, two a month: briefs, announcements, digital products, each to part of the city.
  const bcast = raw.prepare(
    `insert into broadcasts (id, kind, title, body, audience, require_ack, scheduled_at, expanded_at, status, people_count, recipient_count)
     values (?, ?, ?, ?, '{}', ?, ?, ?, 'sent', ?, ?)`,
  )
  const delivery = raw.prepare(
    `insert into deliveries (source, source_id, person_id, channel, chat_id, dedupe_key, status, attempts, next_attempt_at, sent_at, fail_reason, created_at)
     values (?, ?, ?, 'zalo', ?, ?, ?, 1, ?, ?, ?, ?)`,
  )
  const recipient = raw.prepare('insert into broadcast_recipients (broadcast_id, person_id, unit_id, channel, chat_id, acked_at) values (?, ?, ?, ?, ?, ?)')
  const BROADCASTS = 24
  const perBroadcast = Math.floor(850_000 / BROADCASTS)
  for (let b = 1; b <= BROADCASTS; b++) {
    const kind = b % 4 === 0 ? 'digital_product' : b % 2 ? 'brief' : 'announcement'
    const at = JAN + (b - 1) * 7 * DAY + 2 * 3600
    const start = Math.floor(rand() * linked.length)
    const n = Math.min(perBroadcast, linked.length)
    bcast.run(b, kind, `Bản tin ${b}`, 'Nội dung.', kind === 'announcement' ? 0 : 1, at, at, n, n)
    for (let k = 0; k < n; k++) {
      const pid = linked[(start + k) % linked.length]!
      const s = rand()
      const status = s < 0.92 ? 'sent' : s < 0.97 ? 'failed' : 'blocked'
      const sentAt = status === 'sent' ? at + Math.floor(rand() * 3600) : null
      delivery.run('broadcast', b, pid, `c${pid}`, `b:${b}:${pid}`, status, at, sentAt, status === 'sent' ? null : status === 'failed' ? 'expired' : 'blocked', at)
      counts.deliveries++
      const acked = status === 'sent' && kind !== 'announcement' && rand() < 0.5 ? sentAt! + Math.floor(rand() * rand() * 72 * 3600) : null
      recipient.run(b, pid, unitOfPerson[pid], 'zalo', `c${pid}`, acked)
      counts.recipients++
      if (acked) counts.acks++
    }
  }
  // Quiz invitations and report reminders through the same outbox.
  for (let k = 0; k < 60_000; k++) {
    const pid = pick(linked)
    const at = JAN + Math.floor(rand() * 170) * DAY
    delivery.run(k % 2 ? 'quiz' : 'reminder', 1 + (k % 3), pid, `c${pid}`, `x:${k}`, 'sent', at, at + 5, null, at)
    counts.deliveries++
  }

  // Briefings and trainings with check-ins.
  const session = raw.prepare('insert into attendance_sessions (id, title, kind, code, code_key, opens_at, closes_at, audience) values (?, ?, ?, ?, ?, ?, ?, ?)')
  const attend = raw.prepare('insert or ignore into attendance (session_id, person_id, channel, checked_in_at) values (?, ?, ?, ?)')
  for (let s = 1; s <= 12; s++) {
    const at = JAN + s * 12 * DAY
    session.run(s, `Buổi ${s}`, s % 3 === 0 ? 'training' : 'briefing', `NQ71-${1000 + s}`, `NQ71${1000 + s}`, at, at + 4 * 3600, '{}')
    for (let k = 0; k < 5000; k++) counts.attendance += attend.run(s, pick(linked), 'zalo', at + 600).changes
  }

  // Two quizzes of 10 questions; scores spread around 7.
  const questions = JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ text: `Câu ${i + 1}`, options: ['A', 'B', 'C'], correct: 0 })))
  const quiz = raw.prepare('insert into quizzes (id, title, questions, pass_mark, opens_at, closes_at, audience, invited_at) values (?, ?, ?, 0.8, ?, ?, ?, ?)')
  const attempt = raw.prepare(
    'insert or ignore into quiz_participants (quiz_id, person_id, invited_at, started_at, completed_at, correct_count, passed) values (?, ?, ?, ?, ?, ?, ?)',
  )
  for (let q = 1; q <= 2; q++) {
    const at = JAN + q * 60 * DAY
    quiz.run(q, `Kiểm tra ${q}`, questions, at, at + 7 * DAY, '{}', at)
    for (let k = 0; k < 25_000; k++) {
      const done = rand() < 0.8
      const correct = Math.min(10, Math.max(0, Math.round(7 + (rand() + rand() + rand() - 1.5) * 4)))
      counts.quizAttempts += attempt.run(q, pick(linked), at, at + 60, done ? at + 600 : null, done ? correct : null, done ? (correct >= 8 ? 1 : 0) : null).changes
    }
  }

  // The half-year report: due 15/06, from every school; most sent, some late.
  raw.prepare(
    `insert into report_periods (id, name, due_at, closes_at, unit_kinds, unit_codes, include_subunits, remind_days_before, escalate_days_after)
     values (1, 'Báo cáo 6 tháng', ?, ?, '["school"]', '[]', 0, '[7,3,1,0]', '[1,3,7]')`,
  ).run(ts('2026-06-15T23:59:59+07:00'), ts('2026-07-15T23:59:59+07:00'))
  const report = raw.prepare(
    `insert into reports (period_id, unit_id, version, activities, digital_products, briefed_percent, difficulties, submitted_by, channel, submitted_at, late)
     values (1, ?, 1, 3, 1, 90, '', 1, 'zalo', ?, ?)`,
  )
  for (const u of schools) if (rand() < 0.75) report.run(u, ts('2026-06-10T09:00:00+07:00'), rand() < 0.2 ? 1 : 0)
})()
raw.pragma('wal_checkpoint(TRUNCATE)')
raw.exec('analyze')
raw.close()
const records = counts.deliveries + counts.attendance + counts.quizAttempts
console.log(
  `seeded ${PEOPLE.toLocaleString('en')} people, ${UNITS} units, ${records.toLocaleString('en')} delivery records ` +
    `(${counts.deliveries.toLocaleString('en')} outbox rows, ${counts.attendance.toLocaleString('en')} check-ins, ${counts.quizAttempts.toLocaleString('en')} quiz attempts) ` +
    `and ${counts.recipients.toLocaleString('en')} broadcast recipients (${counts.acks.toLocaleString('en')} acknowledged) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
)

const stats = (xs: number[], cpu?: number[]) => {
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
  const s = [...xs].sort((a, b) => a - b)
  // CPU time of this process: what the call costs on an idle machine (SQLite runs in-process).
  const c = cpu ? `, CPU median ${med(cpu).toFixed(0)} ms` : ''
  return `median ${med(xs).toFixed(0)} ms, min ${s[0]!.toFixed(0)} ms, max ${s.at(-1)!.toFixed(0)} ms wall${c} (${s.length} runs)`
}
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000

const { db, close } = openSqlite(path)
// The records were written straight into the file, before the rollup had a zone (its triggers
// write nothing then): it is built from them as a server does at start, or a Worker's cron.
{
  const c0 = process.cpuUsage()
  const built = await buildReachRollup(db, TZ, { now: NOW })
  const [rows] = await db.all<{ n: number }>(sql`select count(*) as n from reach_months`)
  console.log(
    `reach rollup built from the records in ${built.ms} ms wall, CPU ${cpuMs(process.cpuUsage(c0)).toFixed(0)} ms ` +
      `(${built.chunks} chunks; ${Number(rows?.n).toLocaleString('en')} person-years)`,
  )
}
const opts = { rhythm: 'monthly' as const, timeZone: TZ, now: NOW }
const span = await resolveSpan(db, { year: 2026 }, NOW, TZ)
const times: number[] = []
const cpu: number[] = []
let result: Awaited<ReturnType<typeof overview>> | undefined
for (let i = 0; i < RUNS; i++) {
  const c0 = process.cpuUsage()
  t0 = performance.now()
  result = await overview(db, span, opts)
  times.push(performance.now() - t0)
  cpu.push(cpuMs(process.cpuUsage(c0)))
}
close()
const tgt = Object.fromEntries(result!.targets.map((t) => [t.id, `${t.count}/${t.of || '-'}`]))
console.log(`overview() for 2026 as of 20/06: ${stats(times, cpu)} (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`)
console.log(`  targets: ${JSON.stringify(tgt)}`)
console.log(
  `  wards: ${result!.reach.byWard.length}, acks curve: ${result!.acks?.hours.length} hours (${result!.acks?.acknowledged} of ${result!.acks?.recipients}), ` +
    `reporting kinds: ${result!.reporting?.byKind.length}, quiz completed: ${result!.quiz?.completed}`,
)

// Over HTTP through the real app (auth, validation, JSON), on the same file.
const h = await startHarness({ DATABASE_PATH: path })
h.setNow(NOW)
const http: number[] = []
for (let i = 0; i < RUNS; i++) {
  t0 = performance.now()
  const res = await h.api('/targets?year=2026')
  await res.text()
  if (res.status !== 200) throw new Error(`GET /api/targets: ${res.status}`)
  http.push(performance.now() - t0)
}
console.log(`GET /api/targets?year=2026: ${stats(http)}`)
// The console's overview page itself, signed in (a session as the sign-in page makes one).
const { token } = await startSession(h.db, { personId: null, role: 'admin' }, NOW)
await h.db.run(sql`select 1`)
const pageTimes: number[] = []
let bytes = 0
for (let i = 0; i < RUNS; i++) {
  t0 = performance.now()
  const res = await h.app.request('/admin?year=2026', { headers: { cookie: `loa_console=${token}` } })
  bytes = (await res.text()).length
  if (res.status !== 200) throw new Error(`GET /admin: ${res.status}`)
  pageTimes.push(performance.now() - t0)
}
console.log(`GET /admin (the overview page, ${(bytes / 1024).toFixed(0)} KiB of HTML): ${stats(pageTimes)}`)
const people: number[] = []
for (let i = 0; i < RUNS; i++) {
  t0 = performance.now()
  const res = await h.api('/targets/managersTeachersReached/people?unit=P7&state=missing')
  await res.text()
  people.push(performance.now() - t0)
}
console.log(`GET /api/targets/managersTeachersReached/people?unit=P7 (a ward's people): ${stats(people)}`)
await h.close()
if (process.env.BENCH_KEEP) console.log(`kept ${path}`)
else rmSync(dir, { recursive: true, force: true })
