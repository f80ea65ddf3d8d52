/**
 * A city's morning on one machine, several things at once (issue 24): a brief to the whole city
 * leaving on Telegram and the Zalo bot at their configured rates, teachers acknowledging it over
 * the window, a briefing's 300 people checking in (`/diemdanh CODE`) within one minute, the console's
 * overview read every 5 seconds, and a burst of quiz answers (2,000 people of one commune's schools
 * starting the quiz within one minute and answering its 5 questions, each 6 s after the last
 * question arrived: 10,000 answers in about a minute and a half), starting three tenths into the
 * window. `MORNING_QUIZ_THINK_MS=0` makes them answer as fast as the webhook answers, 100 at a
 * time, as bench/quiz.ts does. The server is its own process
 * (src/entry.node.ts on a temporary SQLite file, seeded before it starts); this process is the load
 * generator and hosts the fake Telegram and Zalo Bot APIs (test/fakes/bot-api.ts).
 *
 * A reply the server puts in a Telegram webhook's response is a Bot API call Telegram runs: the bench
 * forwards it to the fake, as Telegram would, so that it counts in the bot's rate like any other send.
 *
 * Run: npm run bench:morning -- [people=20000] [acks=12000] [check-ins=300] [quiz people=2000]
 *      MORNING_WINDOW_S=600, MORNING_OVERVIEW_S=5 (0: no overview), MORNING_QUIZ_THINK_MS=6000, MORNING_ZALO_SHARE=0.25 (one person in four on the Zalo bot); TELEGRAM_RATE_PER_SECOND / ZALO_RATE_PER_SECOND
 *      as the server is configured (defaults 25 and 5, the server's own defaults).
 * A short check: MORNING_WINDOW_S=60 npm run bench:morning -- 2000 1200
 */
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeBotApi, type FakeBotApi } from '../test/fakes/bot-api.js'
import { tgCallback, tgMessage, zaloMessage } from '../test/helpers/harness.js'
import { freePort } from '../test/helpers/net.js'
import { benchDeps, seedBig } from './broadcast-setup.js'

const PEOPLE = Number(process.argv[2] ?? 20_000)
const ACKS = Number(process.argv[3] ?? 12_000)
const CHECKINS = Number(process.argv[4] ?? 300)
const QUIZ_PEOPLE = Number(process.argv[5] ?? 2000)
const QUESTIONS = 5
const UNITS = 200
const THINK_MS = Number(process.env.MORNING_QUIZ_THINK_MS ?? 6_000)
/** How often the overview is read; 0 leaves it out (to see what it costs the webhooks). */
const OVERVIEW_EVERY_MS = Number(process.env.MORNING_OVERVIEW_S ?? 5) * 1000
const WINDOW_MS = Number(process.env.MORNING_WINDOW_S ?? 600) * 1000
const ZALO_SHARE = Number(process.env.MORNING_ZALO_SHARE ?? 0.25)
const TG_RATE = Number(process.env.TELEGRAM_RATE_PER_SECOND ?? 25)
const ZALO_RATE = Number(process.env.ZALO_RATE_PER_SECOND ?? 5)
const TG_TOKEN = '123456:BENCH-telegram-token'
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef'
const TG_SECRET = 'bench-tg-secret-1'
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

async function until(what: string, check: () => boolean | Promise<boolean>, maxMs: number) {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > maxMs) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 100 })
/**
 * One HTTP request. A kept-alive socket the server closed while idle (the quiz's people wait 6 s
 * between answers, past Node's 5 s keep-alive) fails with ECONNRESET before the request was read:
 * it is sent again, at most twice (updates are deduplicated by id anyway).
 */
async function call(url: string, init: { headers?: Record<string, string>; body?: unknown } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await callOnce(url, init)
    } catch (err) {
      if (attempt >= 3 || (err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err
    }
  }
}

function callOnce(url: string, init: { headers?: Record<string, string>; body?: unknown }) {
  return new Promise<{ status: number; text: string }>((ok, fail) => {
    const data = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body))
    const req = request(
      url,
      { method: data ? 'POST' : 'GET', agent, headers: { ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}), ...init.headers } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => ok({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', fail)
      },
    )
    req.on('error', fail)
    req.end(data)
  })
}

/**
 * A Telegram update posted to the server; a send in the response (a reply riding the webhook) is
 * forwarded to the fake Bot API, as Telegram runs it.
 */
async function tgWebhook(base: string, tgApi: string, update: unknown) {
  const r = await call(`${base}/webhook/telegram`, { headers: { 'x-telegram-bot-api-secret-token': TG_SECRET }, body: update })
  if (r.status !== 200) throw new Error(`telegram webhook: ${r.status}`)
  if (r.text.startsWith('{"method":"send')) {
    const { method, ...params } = JSON.parse(r.text) as { method: string }
    await call(`${tgApi}/bot${TG_TOKEN}/${method}`, { body: params })
  }
  return r
}

const BRIEF_BODY = 'Thông báo của Sở GD&ĐT gửi toàn ngành.'
/** The brief's sends the fake received from `t0` on (not the replies to acknowledgements or check-ins). */
const isBrief = (c: FakeBotApi['calls'][number]) => c.method.startsWith('send') && JSON.stringify(c.params).includes(BRIEF_BODY.slice(0, 20))
const briefSends = (fake: FakeBotApi, t0: number) => fake.calls.filter((c) => c.at >= t0 && isBrief(c))

/**
 * The platform's achieved rate: every message sent to it (the brief and the replies to acknowledgements
 * and check-ins share the configured rate) over the window, or until the brief had all left if sooner.
 */
function achieved(fake: FakeBotApi, t0: number, windowEnd: number, expected: number) {
  const brief = briefSends(fake, t0).filter((c) => c.at <= windowEnd)
  const done = brief.length >= expected
  const end = done ? brief.at(-1)!.at : windowEnd
  const all = fake.calls.filter((c) => c.method.startsWith('send') && c.at >= t0 && c.at <= end).length
  return { brief: brief.length, all, perSecond: all / Math.max(1, (end - t0) / 1000), done }
}

async function main() {
  const telegram = await startFakeBotApi({ platform: 'telegram' })
  const zalo = await startFakeBotApi({ platform: 'zalo' })
  const dir = mkdtempSync(join(tmpdir(), 'loa-bench-morning-'))
  const dbPath = join(dir, 'loa.db')
  // ---- Setup (not timed): the city, seeded straight into the file before the server starts.
  const seed = benchDeps(dbPath, telegram.url, TG_RATE)
  seedBig(seed.db, { units: UNITS, people: PEOPLE, zaloShare: ZALO_SHARE })
  seed.close()
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  // MORNING_NODE_ARGS: the server's own Node options, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.MORNING_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const server = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/entry.node.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: dbPath,
      ADMIN_TOKEN,
      LOG_LEVEL: 'error',
      BOT_MODE: 'webhook',
      PUBLIC_URL: '',
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_RATE_PER_SECOND: String(TG_RATE),
      ZALO_BOT_TOKEN: '987654:bench-zalo-token',
      ZALO_WEBHOOK_SECRET: 'bench-zalo-secret-1',
      ZALO_API_ROOT: zalo.url,
      ZALO_RATE_PER_SECOND: String(ZALO_RATE),
    },
  })
  const stop = async () => {
    agent.destroy()
    if (server.exitCode === null) {
      server.kill('SIGTERM')
      await Promise.race([new Promise((r) => server.once('exit', r)), sleep(5_000)])
    }
    await Promise.all([telegram.close(), zalo.close()])
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await run(base, telegram, zalo, dbPath)
  } finally {
    await stop()
  }
}

async function run(base: string, telegram: FakeBotApi, zalo: FakeBotApi, dbPath: string) {
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }
  await until('the server', () => call(`${base}/healthz`).then((r) => r.status === 200, () => false), 60_000)
  const load0 = loadavg()
  const res = await call(`${base}/api/broadcasts`, { headers: auth, body: { title: 'Chỉ đạo buổi sáng', body: BRIEF_BODY, audience: {} } })
  if (res.status !== 201) throw new Error(`POST /api/broadcasts: ${res.status} ${res.text.slice(0, 200)}`)
  const brief = JSON.parse(res.text) as { id: number }
  const t0 = Date.now()
  const windowEnd = t0 + WINDOW_MS
  const zaloEvery = ZALO_SHARE > 0 ? Math.round(1 / ZALO_SHARE) : 0
  const onTelegram = Array.from({ length: PEOPLE }, (_, k) => k + 1).filter((i) => !(zaloEvery > 0 && i % zaloEvery === 0))

  // The overview, every 5 s, through the window.
  const overview: number[] = []
  const overviewLoop = (async () => {
    while (OVERVIEW_EVERY_MS > 0 && Date.now() < windowEnd) {
      const s = performance.now()
      const r = await call(`${base}/api/targets`, { headers: auth })
      if (r.status !== 200) throw new Error(`GET /api/targets: ${r.status}`)
      overview.push(performance.now() - s)
      await sleep(Math.max(0, OVERVIEW_EVERY_MS - (performance.now() - s)))
    }
  })()

  // Acknowledgements spread over the window, each by someone the brief has reached on Telegram.
  const latencies: number[] = []
  const acked = new Set<string>()
  let skipped = 0
  const ackLoop = (async () => {
    const inflight: Promise<void>[] = []
    const reached: string[] = []
    let scanned = 0
    let next = 0
    for (let k = 0; k < ACKS; k++) {
      await sleep(Math.max(0, t0 + ((k + 1) * WINDOW_MS) / ACKS - Date.now()))
      for (; scanned < telegram.calls.length; scanned++) {
        const c = telegram.calls[scanned]!
        if (isBrief(c)) reached.push(String(c.params.chat_id))
      }
      const chat = reached[next++]
      if (!chat) {
        next--
        skipped++
        continue
      }
      acked.add(chat)
      inflight.push(
        (async () => {
          const s = performance.now()
          await tgWebhook(base, telegram.url, tgCallback(chat, `ack:${brief.id}`, 5_000_000 + k))
          latencies.push(performance.now() - s)
        })(),
      )
    }
    await Promise.all(inflight)
  })()
  const checkins = checkInLoop(base, auth, onTelegram, t0, telegram.url)
  const quiz = quizBurst(base, auth, t0 + (3 * WINDOW_MS) / 10, telegram.url)
  await Promise.all([overviewLoop, ackLoop])
  const hall = await checkins
  const burst = await quiz
  await sleep(Math.max(0, windowEnd - Date.now()))
  report({
    telegram,
    zalo,
    t0,
    windowEnd,
    onTelegram: onTelegram.length,
    latencies: [...latencies, ...hall.latencies, ...burst.latencies],
    hall,
    burst,
    overview,
    acked: acked.size,
    skipped,
    load0,
    dbPath,
    briefId: brief.id,
  })
}

/**
 * A briefing's hall: CHECKINS people (the last ones on Telegram, so not those acknowledging first)
 * send `/diemdanh CODE` within one minute, starting a tenth of the way into the window.
 */
async function checkInLoop(base: string, auth: Record<string, string>, onTelegram: number[], t0: number, tgApi: string) {
  const now = Date.now()
  const res = await call(`${base}/api/sessions`, {
    headers: auth,
    body: { title: 'Quán triệt Nghị quyết 71', kind: 'briefing', opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 3_600_000).toISOString() },
  })
  if (res.status !== 201) throw new Error(`POST /api/sessions: ${res.status} ${res.text.slice(0, 200)}`)
  const session = JSON.parse(res.text) as { id: number; code: string }
  const chats = onTelegram.slice(-CHECKINS).map(String)
  const start = t0 + WINDOW_MS / 10
  const latencies: number[] = []
  await Promise.all(
    chats.map(async (chat, k) => {
      await sleep(Math.max(0, start + (k * 60_000) / chats.length - Date.now()))
      const s = performance.now()
      await tgWebhook(base, tgApi, tgMessage(chat, `/diemdanh ${session.code}`, 6_000_000 + k))
      latencies.push(performance.now() - s)
    }),
  )
  return { sessionId: session.id, sent: chats.length, latencies }
}

/** The people of the first commune's schools (seedBig: person i is at school i mod the schools), at most QUIZ_PEOPLE. */
function quizPeople(): number[] {
  const communes = Math.max(1, Math.floor(UNITS / 20))
  const schools = UNITS - communes - 1
  return Array.from({ length: PEOPLE }, (_, k) => k + 1)
    .filter((i) => (i % schools) % communes === 0)
    .slice(0, QUIZ_PEOPLE)
}

/** What person i answers to question q (an option by its number, so a typed Zalo answer says the same). */
const optionOf = (i: number, q: number) => (i + q) % 4

/**
 * The quiz burst: a quiz to the first commune's schools, then, from `start`, each of its people
 * starts it within one minute and answers the 5 questions one after the other, THINK_MS after each
 * answer came back (with THINK_MS 0: as fast as the webhook answers, 100 people at a time, the
 * sockets Telegram opens to a webhook): Telegram people by button, Zalo people by typing the
 * option's number.
 */
async function quizBurst(base: string, auth: Record<string, string>, start: number, tgApi: string) {
  const options = ['Giáo dục và đào tạo', 'Y tế cộng đồng', 'Giao thông đô thị', 'Nông nghiệp sạch']
  const res = await call(`${base}/api/quizzes`, {
    headers: auth,
    body: {
      title: 'Hiểu biết Nghị quyết 71',
      questions: Array.from({ length: QUESTIONS }, (_, q) => ({ text: `Câu hỏi số ${q + 1} về Nghị quyết 71?`, options: options.map((o) => `${o} ${q + 1}`), correct: q % 4 })),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      audience: { unitCodes: ['XA-0'], includeSubunits: true },
    },
  })
  if (res.status !== 201) throw new Error(`POST /api/quizzes: ${res.status} ${res.text.slice(0, 200)}`)
  const quiz = JSON.parse(res.text) as { id: number }
  const people = quizPeople()
  const zaloEvery = ZALO_SHARE > 0 ? Math.round(1 / ZALO_SHARE) : 0
  const zaloWebhook = async (update: unknown) => {
    const r = await call(`${base}/webhook/zalo`, { headers: { 'x-bot-api-secret-token': 'bench-zalo-secret-1' }, body: update })
    if (r.status !== 200) throw new Error(`zalo webhook: ${r.status}`)
  }
  await sleep(Math.max(0, start - Date.now()))
  const latencies: number[] = []
  const t0 = performance.now()
  let next = 0
  const answerAll = async (i: number, k: number) => {
    const onZalo = zaloEvery > 0 && i % zaloEvery === 0
    const timed = async (send: () => Promise<unknown>) => {
      const s = performance.now()
      await send()
      return performance.now() - s
    }
    if (THINK_MS > 0) await sleep(Math.max(0, start + (k * 60_000) / people.length - Date.now()))
    await (onZalo ? zaloWebhook(zaloMessage(`z${i}`, 'kiem tra', { messageId: `qs${i}` })) : tgWebhook(base, tgApi, tgCallback(String(i), `qz:${quiz.id}:start`, 7_000_000 + i)))
    for (let q = 0; q < QUESTIONS; q++) {
      const o = optionOf(i, q)
      if (THINK_MS > 0) await sleep(THINK_MS)
      latencies.push(
        await timed(() =>
          onZalo ? zaloWebhook(zaloMessage(`z${i}`, String(o + 1), { messageId: `qa${i}-${q}` })) : tgWebhook(base, tgApi, tgCallback(String(i), `qz:${quiz.id}:${q}:${o}`, 8_000_000 + i * 10 + q)),
        ),
      )
    }
  }
  await Promise.all(
    Array.from({ length: THINK_MS > 0 ? people.length : 100 }, async () => {
      while (next < people.length) await answerAll(people[next]!, next++)
    }),
  )
  return { quizId: quiz.id, people, answers: people.length * QUESTIONS, latencies, seconds: (performance.now() - t0) / 1000 }
}

function report(r: {
  hall: { sessionId: number; sent: number; latencies: number[] }
  burst: Awaited<ReturnType<typeof quizBurst>>
  telegram: FakeBotApi
  zalo: FakeBotApi
  t0: number
  windowEnd: number
  onTelegram: number
  latencies: number[]
  overview: number[]
  acked: number
  skipped: number
  load0: number[]
  dbPath: string
  briefId: number
}) {
  const tg = achieved(r.telegram, r.t0, r.windowEnd, r.onTelegram)
  const za = achieved(r.zalo, r.t0, r.windowEnd, PEOPLE - r.onTelegram)
  const db = new Database(r.dbPath, { readonly: true })
  const rows = db.prepare('select count(*) n, count(distinct person_id) p from broadcast_recipients where broadcast_id = ? and acked_at is not null').get(r.briefId) as { n: number; p: number }
  const hall = db.prepare('select count(*) n, count(distinct person_id) p from attendance where session_id = ?').get(r.hall.sessionId) as { n: number; p: number }
  const answers = db.prepare('select person_id p, question_index q, option_index o from quiz_answers where quiz_id = ?').all(r.burst.quizId) as { p: number; q: number; o: number }[]
  db.close()
  // seedBig's person ids are 1…PEOPLE in order: person i is id i.
  const perPerson = new Map<number, Set<number>>()
  let wrongOption = 0
  for (const a of answers) {
    perPerson.set(a.p, (perPerson.get(a.p) ?? new Set()).add(a.q))
    if (a.o !== optionOf(a.p, a.q)) wrongOption++
  }
  const quizOk = answers.length === r.burst.answers && perPerson.size === r.burst.people.length && [...perPerson.values()].every((qs) => qs.size === QUESTIONS) && wrongOption === 0
  const quizLat = [...r.burst.latencies].sort((a, b) => a - b)
  const lat = [...r.latencies].sort((a, b) => a - b)
  const ov = [...r.overview].sort((a, b) => a - b)
  const load1 = loadavg()
  const f1 = (n: number) => n.toFixed(1)
  const tgOk = tg.perSecond >= 0.95 * TG_RATE
  const zaOk = za.perSecond >= 0.95 * ZALO_RATE
  const p99Ok = pct(lat, 99) <= 50
  const ovOk = pct(ov, 95) < 300
  const onceOk = rows.n === r.acked && rows.p === r.acked && hall.n === r.hall.sent && hall.p === r.hall.sent && quizOk
  console.log(`city morning: ${PEOPLE.toLocaleString('en-US')} people (${r.onTelegram} Telegram, ${PEOPLE - r.onTelegram} Zalo), a ${WINDOW_MS / 1000} s window`)
  console.log(`  Telegram  ${f1(tg.perSecond)}/s of ${TG_RATE}/s configured (${f1((100 * tg.perSecond) / TG_RATE)} %; ${tg.all} messages, ${tg.brief} of them the brief${tg.done ? ', all before the window ended' : ''})  ${tgOk ? 'ok' : 'MISSED'}`)
  console.log(`  Zalo bot  ${f1(za.perSecond)}/s of ${ZALO_RATE}/s configured (${f1((100 * za.perSecond) / ZALO_RATE)} %; ${za.all} messages, ${za.brief} of them the brief${za.done ? ', all before the window ended' : ''})  ${zaOk ? 'ok' : 'MISSED'}`)
  console.log(`  acknowledgements: ${r.acked} sent as webhooks (${r.skipped} not sent: nobody reached yet); all webhooks p50 ${f1(pct(lat, 50))} ms, p99 ${f1(pct(lat, 99))} ms (goal ≤ 50)  ${p99Ok ? 'ok' : 'MISSED'}`)
  console.log(`  check-ins: ${r.hall.sent} /diemdanh within one minute, ${f1(pct([...r.hall.latencies].sort((a, b) => a - b), 99))} ms p99 on their own`)
  console.log(
    `  quiz burst: ${r.burst.answers} answers from ${r.burst.people.length} people (each a start and ${QUESTIONS} answers, ${THINK_MS > 0 ? `starting within a minute, ${THINK_MS / 1000} s between answers` : '100 at a time, as fast as answered'}) in ${f1(r.burst.seconds)} s, ` +
      `answers p50 ${f1(pct(quizLat, 50))} ms, p99 ${f1(pct(quizLat, 99))} ms on their own`,
  )
  console.log(
    `  recorded: ${rows.n} acknowledged rows (${rows.p} people) for ${r.acked} acknowledgements, ${hall.n} attendance rows (${hall.p} people) for ${r.hall.sent} check-ins, ` +
      `${answers.length} quiz answers (${perPerson.size} people, ${wrongOption} with another option) for ${r.burst.answers}` +
      `  ${onceOk ? 'exactly once' : 'WRONG'}`,
  )
  console.log(`  overview (GET /api/targets) every 5 s: ${ov.length} reads, p50 ${f1(pct(ov, 50))} ms, p95 ${f1(pct(ov, 95))} ms (goal < 300)  ${ovOk ? 'ok' : 'MISSED'}`)
  console.log(`  load average at start ${r.load0.map(f1).join(' ')}, at end ${load1.map(f1).join(' ')}`)
  if (!onceOk) process.exitCode = 1
}

main().then(
  () => process.exit(),
  (err) => {
    console.error(err)
    process.exit(1)
  },
)
