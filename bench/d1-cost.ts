import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir, cpus } from 'node:os'
import { join } from 'node:path'
import { startFakeBotApi, type FakeBotApi } from '../test/fakes/bot-api.js'
import { tgCallback, tgMessage, zaloMessage } from '../test/helpers/harness.js'
import { ADMIN_TOKEN, chatOf, PER_SCHOOL, SCHOOLS, seedD1, startDev, TG_SECRET, workerdCpuMs, ZALO_SECRET, type Dev } from './d1-worker.js'
import { monthReport, type Op } from './d1-month.js'
import { openProfiler, type Profiler } from './d1-profile.js'

/**
 * What Loa asks of D1 on Workers, per operation (issue 24): `npx tsx bench/d1-cost.ts` (or
 * `npm run bench:d1`), about 3 minutes. The Worker runs under `wrangler dev --local` with the bench-only
 * meter (`BENCH_D1_METER=1`, src/worker/d1-meter.ts), which sums D1's own `meta.rows_read` and
 * `meta.rows_written`, the statements and the subrequests (D1 calls + fetches) of the invocations; the
 * bench reads them after each operation from GET /__bench/d1, and workerd's CPU time from /proc.
 * Rows are deterministic; CPU ms are not (the machine is shared, and locally workerd also runs D1's SQLite).
 */
const REPS = 20
const f0 = (n: number) => Math.round(n).toLocaleString('en')
const CITY = SCHOOLS * PER_SCHOOL
const cron = '* * * * *'

let dev: Dev
let telegram: FakeBotApi
let zalo: FakeBotApi
let profiler: Profiler | undefined
const ops: Op[] = []

interface Tally {
  d1Calls: number
  queries: number
  rowsRead: number
  rowsWritten: number
  fetches: number
  invocations: number
  top: { sql: string; times: number; rowsRead: number; rowsWritten: number }[]
}

const reading = async (): Promise<Tally> => (await fetch(`${dev.base}/__bench/d1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json() as Promise<Tally>

async function api(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${dev.base}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

const webhook = (channel: 'telegram' | 'zalo', update: unknown) =>
  fetch(`${dev.base}/webhook/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [channel === 'telegram' ? 'x-telegram-bot-api-secret-token' : 'x-bot-api-secret-token']: channel === 'telegram' ? TG_SECRET : ZALO_SECRET },
    body: JSON.stringify(update),
  }).then((r) => r.text())

const tick = () => fetch(`${dev.base}/__scheduled?cron=${encodeURIComponent(cron)}`).then((r) => r.text())

/** Person i's chat on Telegram: the i-th of those on Telegram. */
const tgChat = (i: number) => chatOf(i + Math.floor(i / 4)).chatId

/** Runs `work` (once per rep), and records its tally divided by `per` (the unit the row is about). */
async function measure(name: string, unit: string, work: () => Promise<unknown>, per = 1): Promise<Op> {
  await reading()
  const cpu = workerdCpuMs(dev)
  const started = Date.now()
  await profiler?.start()
  await work()
  const t = await reading()
  const js = await profiler?.stop()
  const op: Op = {
    name,
    unit,
    per,
    rowsRead: t.rowsRead / per,
    rowsWritten: t.rowsWritten / per,
    queries: t.queries / per,
    subrequests: (t.d1Calls + t.fetches) / per,
    cpuMs: (workerdCpuMs(dev) - cpu) / per,
    ...(js ? { jsMs: js.jsMs / per, programMs: js.programMs / per } : {}),
    invocations: t.invocations,
    wallMs: Date.now() - started,
  }
  ops.push(op)
  const { top, ...sums } = t
  console.log(`  ${name}: ${JSON.stringify({ ...sums, cpuMs: Math.round(op.cpuMs * per), ...(js ? { jsMs: Math.round(js.jsMs), programMs: Math.round(js.programMs) } : {}) })}`)
  // The statements that read a thousand rows or more a time: where a read may grow with the city.
  for (const s of top.filter((s) => s.rowsRead / s.times >= 1000)) console.log(`      ${f0(s.rowsRead / s.times)} rows read ×${s.times}: ${s.sql.slice(0, 160)}`)
  // And those that write a hundred rows or more a time (an index or a trigger per row, a temporary table).
  for (const s of top.filter((s) => s.rowsWritten / s.times >= 100)) console.log(`      ${f0(s.rowsWritten / s.times)} rows written ×${s.times}: ${s.sql.slice(0, 160)}`)
  return op
}

const reps = (f: (i: number) => Promise<unknown>) => async () => {
  for (let i = 0; i < REPS; i++) await f(i)
}

async function signIn(): Promise<string> {
  const login = await fetch(`${dev.base}/admin/login`)
  const csrf = /loa_csrf=([A-Za-z0-9]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!
  const res = await fetch(`${dev.base}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: dev.base, cookie: `loa_csrf=${csrf}` },
    body: new URLSearchParams({ token: ADMIN_TOKEN, _csrf: csrf }),
    redirect: 'manual',
  })
  return `loa_console=${/loa_console=([A-Za-z0-9]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!}`
}

async function chats() {
  await measure('an unlinked message', 'message', reps((i) => webhook('telegram', tgMessage(900_000_000 + i, 'xin chào'))), REPS)
  await measure('a linked /hoidap', 'question', reps((i) => webhook('telegram', tgMessage(tgChat(100 + i), `/hoidap Câu hỏi số ${i} về Nghị quyết 71?`))), REPS)
  const cookie = await signIn()
  // The first view of a fresh database fills the reach rollup's calendar once (about 1,200 rows
  // written): measured on its own, so that the views after it show what each view costs.
  await measure("a fresh database's first overview (fills the reach calendar once)", 'view', () => fetch(`${dev.base}/admin`, { headers: { cookie } }).then((r) => r.text()))
  await measure(`the overview (GET /admin) at ${CITY.toLocaleString('en')} people`, 'view', reps((i) => (i < 5 ? fetch(`${dev.base}/admin`, { headers: { cookie } }).then((r) => r.text()) : Promise.resolve())), 5)
}

async function brief() {
  const sends = () => telegram.calls.filter((c) => c.method === 'sendMessage').length + zalo.calls.filter((c) => c.method === 'sendMessage').length
  let created: any
  await measure(`a brief's fan-out to ${CITY.toLocaleString('en')}`, 'recipient', async () => {
    created = await api('/broadcasts', { kind: 'brief', title: 'Quán triệt Nghị quyết 71', body: 'Nghị quyết 71-NQ/TW về đột phá phát triển giáo dục.', audience: { unitCodes: ['SGDDT'], includeSubunits: true } })
  }, CITY)
  const path = new URL(created.publicUrl).pathname
  await measure('a phone page view (the brief, anonymous)', 'view', reps(() => fetch(`${dev.base}${path}`).then((r) => r.text())), REPS)
  const before = sends()
  const drain = await measure("the minute's Cron Trigger draining the brief", 'invocation', tick)
  const sent = sends() - before
  ops.push({ ...drain, name: 'one delivery sent (from that drain)', unit: 'delivery', per: sent, rowsRead: drain.rowsRead / sent, rowsWritten: drain.rowsWritten / sent, queries: drain.queries / sent, subrequests: drain.subrequests / sent, cpuMs: drain.cpuMs / sent, ...(drain.jsMs === undefined ? {} : { jsMs: drain.jsMs / sent, programMs: (drain.programMs ?? 0) / sent }) })
  drain.sent = sent
  const got = [...new Set(telegram.calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.params.chat_id)))]
  await measure('an acknowledgement (Đã đọc)', 'ack', reps((i) => webhook('telegram', tgCallback(got[i]!, `ack:${created.id}`))), REPS)
  await measure("a brief's results by unit (GET /api/broadcasts/:id/units)", 'view', reps((i) => (i < 5 ? api(`/broadcasts/${created.id}/units`) : Promise.resolve())), 5)
  await api(`/broadcasts/${created.id}/cancel`, {})
}

async function events() {
  const now = Date.now()
  const session = await api('/sessions', { title: 'Quán triệt NQ71', kind: 'briefing', opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 3_600_000).toISOString() })
  await measure('a check-in (/diemdanh)', 'check-in', reps((i) => webhook('telegram', tgMessage(tgChat(300 + i), `/diemdanh ${session.code}`))), REPS)
  const quiz = await api('/quizzes', { title: 'Hiểu biết NQ71', questions: [{ text: 'Nghị quyết 71 bàn về lĩnh vực nào?', options: ['Giáo dục và đào tạo', 'Y tế'], correct: 0 }], closesAt: new Date(now + 86_400_000).toISOString(), audience: { unitCodes: ['TH5'] } })
  await tick()
  await reading()
  for (let i = 0; i < REPS; i++) await webhook('telegram', tgCallback(tgChat(400 + i), `qz:${quiz.id}:start`))
  await measure('a quiz answer', 'answer', reps((i) => webhook('telegram', tgCallback(tgChat(400 + i), `qz:${quiz.id}:0:${i % 2}`))), REPS)
  const due = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(now + 3 * 86_400_000))
  await api('/report-periods', { name: 'Báo cáo 6 tháng', dueAt: due, unitKinds: ['school'] })
  const run = await measure(`a reminders run (${SCHOOLS} schools)`, 'run', () => api('/jobs/reminders/run', { now: new Date(now).toISOString() }))
  run.note = 'through POST /api/jobs/reminders/run'
  await measure('a report sent (/baocao)', 'report', reps((i) => webhook('telegram', tgMessage(chatOf(i * 5 * PER_SCHOOL).chatId, '/baocao hd 2, sp 1, pb 80, kk không'))), REPS)
  await tick()
  await measure("an idle minute's Cron Trigger", 'invocation', tick)
  await measure('an unlinked message on the Zalo bot', 'message', reps((i) => webhook('zalo', zaloMessage(`zunknown${i}`, 'xin chào'))), REPS)
}

async function main() {
  const load = loadavg()
  console.log(`D1 cost bench, ${new Date().toISOString()}, ${cpus().length} cores, load average ${load.map((l) => l.toFixed(1)).join(' ')}`)
  telegram = await startFakeBotApi({ platform: 'telegram' })
  zalo = await startFakeBotApi({ platform: 'zalo' })
  const dir = mkdtempSync(join(tmpdir(), 'loa-d1cost-'))
  try {
    const seeded = Date.now()
    await seedD1(dir)
    console.log(`seeded ${CITY.toLocaleString('en')} people in ${SCHOOLS} schools in ${((Date.now() - seeded) / 1000).toFixed(1)} s`)
    dev = await startDev(dir, { TELEGRAM_API_ROOT: telegram.url, ZALO_API_ROOT: zalo.url })
    const opened = await openProfiler(dev.inspectorPort).catch((err: Error) => err.message)
    if (typeof opened === 'string') console.log(`no V8 profile of the Worker: ${opened}`)
    else profiler = opened
    await chats()
    await brief()
    await events()
    console.log(monthReport(ops, CITY))
    console.log(`load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  } catch (err) {
    await new Promise((r) => setTimeout(r, 2000))
    if (dev) writeFileSync(join(tmpdir(), 'loa-d1cost-wrangler.log'), dev.output())
    console.error(`wrangler's output: ${join(tmpdir(), 'loa-d1cost-wrangler.log')}`)
    throw err
  } finally {
    profiler?.close()
    if (dev?.proc.pid) process.kill(-dev.proc.pid, 'SIGTERM')
    await Promise.all([telegram.close(), zalo.close()])
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
