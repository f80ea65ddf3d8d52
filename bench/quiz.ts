/**
 * 10,000 quiz answers from 2,000 people at once, as webhook updates over real HTTP to the server
 * (src/entry.node.ts, started here on 127.0.0.1 with a temporary SQLite file) talking to the fake
 * Telegram and Zalo Bot APIs. Half the people are on Telegram (button presses), half on Zalo
 * (typed number, letter or option text). 10% of the answers are also redelivered, as platforms do.
 * Checks that every answer is recorded exactly once, with the option the person meant, and that
 * each person got their score. Run: npx tsx bench/quiz.ts [people] [questions]
 */
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { Agent, request } from 'node:http'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeBotApi } from '../test/fakes/bot-api.js'
import { tgCallback, tgMessage, zaloMessage } from '../test/helpers/harness.js'
import { freePort } from '../test/helpers/net.js'

const PEOPLE = Number(process.argv[2] ?? 2000)
const QUESTIONS = Number(process.argv[3] ?? 5)
const TARGET_MS = 10_000
const TG_TOKEN = '123456:BENCH-telegram-token'
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef'
const TG_SECRET = 'bench-tg-secret-1'
const ZALO_SECRET = 'bench-zalo-secret-1'
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const options = ['Giáo dục và đào tạo', 'Y tế cộng đồng', 'Giao thông đô thị', 'Nông nghiệp sạch']
const questions = Array.from({ length: QUESTIONS }, (_, q) => ({
  text: `Câu hỏi số ${q + 1} về Nghị quyết 71?`,
  options: options.map((o) => `${o} ${q + 1}`),
  correct: q % options.length,
  explanation: 'Theo Nghị quyết 71-NQ/TW.',
}))

const strip = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .toLowerCase()

/** What person i chooses for question q (most right, some wrong), and how a Zalo user types it. */
const chosen = (i: number, q: number) => (i % 5 === 0 ? (q + 1) % options.length : questions[q]!.correct)
const typed = (i: number, q: number) => {
  const o = chosen(i, q)
  switch ((i + q) % 3) {
    case 0:
      return String(o + 1)
    case 1:
      return String.fromCharCode(97 + o)
    default:
      return strip(questions[q]!.options[o]!)
  }
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!)
    }),
  )
}

async function until(what: string, check: () => boolean | Promise<boolean>, maxMs = 120_000) {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > maxMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** CPU seconds a process has used (Linux /proc), so figures can be compared on a busy machine. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

async function main() {
  const telegram = await startFakeBotApi({ platform: 'telegram' })
  const zalo = await startFakeBotApi({ platform: 'zalo' })
  const dir = mkdtempSync(join(tmpdir(), 'loa-bench-quiz-'))
  const dbPath = join(dir, 'loa.db')
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []), '--import', 'tsx', 'src/entry.node.ts'], {
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
      TELEGRAM_RATE_PER_SECOND: '5000',
      ZALO_BOT_TOKEN: '987654:bench-zalo-token',
      ZALO_WEBHOOK_SECRET: ZALO_SECRET,
      ZALO_API_ROOT: zalo.url,
      ZALO_RATE_PER_SECOND: '5000',
    },
  })
  let db: Database.Database | undefined
  let agent: Agent | undefined
  const stop = async () => {
    db?.close()
    agent?.destroy()
    if (server.exitCode === null) {
      server.kill('SIGTERM')
      await new Promise((r) => server.once('exit', r))
    }
    await Promise.all([telegram.close(), zalo.close()])
    rmSync(dir, { recursive: true, force: true })
  }

  try {
    await until('the server', async () => fetch(`${base}/healthz`).then((r) => r.ok, () => false), 30_000)
    db = new Database(dbPath, { readonly: true })
    const count = (sql: string) => (db!.prepare(sql).get() as { n: number }).n

    // Telegram opens at most max_connections sockets to a webhook (the server registers 100, its maximum);
    // 2,000 people "at once" share a pool like that rather than 2,000 sockets.
    agent = new Agent({ keepAlive: true, maxSockets: 100 })
    // A kept-alive socket the server closed while idle fails once; updates are deduplicated by id, so resending is safe.
    const post = async (path: string, headers: Record<string, string>, body: unknown, method = 'POST') => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await send(path, headers, body, method)
        } catch (err) {
          if (attempt >= 3 || (err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err
        }
      }
    }
    const send = (path: string, headers: Record<string, string>, body: unknown, method: string) =>
      new Promise<{ status: number; body: string; outcome: string }>((ok, fail) => {
        const data = body === undefined ? undefined : JSON.stringify(body)
        const req = request(
          `${base}${path}`,
          { method, agent, headers: { 'content-type': 'application/json', ...headers } },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () =>
              ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), outcome: String(res.headers['x-loa-update'] ?? '') }),
            )
            res.on('error', fail)
          },
        )
        req.on('error', fail)
        req.end(data)
      })
    const api = async (path: string, body?: unknown) => {
      const res = await post(`/api${path}`, { authorization: `Bearer ${ADMIN_TOKEN}` }, body, body === undefined ? 'GET' : 'POST')
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.body}`)
      return JSON.parse(res.body) as any
    }
    const webhook = async (channel: 'telegram' | 'zalo', update: unknown) => {
      const secret: Record<string, string> =
        channel === 'telegram' ? { 'x-telegram-bot-api-secret-token': TG_SECRET } : { 'x-bot-api-secret-token': ZALO_SECRET }
      const res = await post(`/webhook/${channel}`, secret, update)
      if (res.status !== 200) throw new Error(`webhook ${channel}: ${res.status}`)
      // A Bot API call in the response is run by Telegram: forward it to the fake, as Telegram would.
      const call = channel === 'telegram' && res.body.startsWith('{"method":"send') ? (JSON.parse(res.body) as { method: string }) : undefined
      if (call) {
        const { method, ...params } = call
        await fetch(`${telegram.url}/bot${TG_TOKEN}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) })
      }
      // Telegram button presses are answered in the response body, so the outcome is read from a header.
      return { duplicate: res.outcome === 'duplicate' }
    }

    // ---- Setup (not timed): directory, invites, links, quiz, invitations, everyone at question 1.
    const setupStart = Date.now()
    const unitCount = 20
    await api('/units', [
      { code: 'SGDDT', name: 'Sở GD&ĐT', kind: 'department' },
      ...Array.from({ length: unitCount }, (_, u) => ({ code: `TH-${u}`, name: `Trường ${u}`, kind: 'school', parentCode: 'SGDDT', staffCount: 150 })),
    ])
    const saved = await api(
      '/people',
      Array.from({ length: PEOPLE }, (_, i) => ({
        externalId: `B${i}`,
        fullName: `Giáo viên ${i}`,
        unitCode: `TH-${i % unitCount}`,
        roles: i % 10 === 0 ? ['manager'] : ['teacher'],
      })),
    )
    const people = (saved.people as { id: number; externalId: string }[]).map((p) => ({ id: p.id, i: Number(p.externalId.slice(1)) }))
    const chatOf = (i: number) => (i % 2 === 0 ? { channel: 'telegram' as const, chatId: String(7_000_000_000 + i) } : { channel: 'zalo' as const, chatId: `bz${i}` })
    await pool(people, 50, async (p) => {
      const { code } = await api(`/people/${p.id}/invites`, {})
      const c = chatOf(p.i)
      if (c.channel === 'telegram') await webhook('telegram', tgMessage(c.chatId, `/start ${code}`, 1_000_000 + p.i))
      else await webhook('zalo', zaloMessage(c.chatId, code, { messageId: `link${p.i}` }))
    })
    await until('links', () => count('select count(*) n from chat_links') === PEOPLE)

    const quiz = await api('/quizzes', {
      title: 'Bench NQ71',
      questions,
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      audience: {},
    })
    await until('invitations', () => count(`select count(*) n from deliveries where source = 'quiz' and status = 'sent'`) === PEOPLE)
    await pool(people, 200, async (p) => {
      const c = chatOf(p.i)
      if (c.channel === 'telegram') await webhook('telegram', tgCallback(c.chatId, `qz:${quiz.id}:start`, 2_000_000 + p.i))
      else await webhook('zalo', zaloMessage(c.chatId, 'kiem tra', { messageId: `start${p.i}` }))
    })
    await until('starts', () => count(`select count(*) n from quiz_participants where started_at is not null`) === PEOPLE)
    // The question-1 replies are sent after the start is recorded; let them land.
    const sendsNow = () => telegram.sent().length + zalo.sent().length
    await until('question 1 sent', () => sendsNow() >= 4 * PEOPLE)
    const setupMs = Date.now() - setupStart

    // ---- Measured: every person answers all questions at once, 10% of updates redelivered.
    const callsBefore = telegram.calls.length + zalo.calls.length
    const latencies: number[] = []
    let duplicatesAcked = 0
    let redelivered = 0
    const cpu0 = cpuSeconds(server.pid)
    const own0 = process.cpuUsage()
    const t0 = performance.now()
    await Promise.all(
      people.map(async (p) => {
        const c = chatOf(p.i)
        for (let q = 0; q < QUESTIONS; q++) {
          const update =
            c.channel === 'telegram'
              ? tgCallback(c.chatId, `qz:${quiz.id}:${q}:${chosen(p.i, q)}`, 3_000_000 + p.i * 100 + q)
              : zaloMessage(c.chatId, typed(p.i, q), { messageId: `a${p.i}-${q}` })
          const s = performance.now()
          await webhook(c.channel, update)
          latencies.push(performance.now() - s)
          if ((p.i + q) % 10 === 0) {
            redelivered++
            if ((await webhook(c.channel, update)).duplicate) duplicatesAcked++
          }
        }
      }),
    )
    const acceptedMs = performance.now() - t0
    const expected = PEOPLE * QUESTIONS
    await until('answers recorded', () => count('select count(*) n from quiz_answers') >= expected, 60_000)
    const recordedMs = performance.now() - t0
    await until('everyone scored', () => count('select count(*) n from quiz_participants where completed_at is not null') === PEOPLE, 60_000)
    const completedMs = performance.now() - t0
    const cpu1 = cpuSeconds(server.pid)
    const own = process.cpuUsage(own0)
    // Let the last replies reach the fakes before counting them.
    await until('last replies', () => telegram.calls.length + zalo.calls.length - callsBefore >= expected, 30_000)

    // ---- Checks
    const rows = db.prepare('select person_id p, question_index q, option_index o from quiz_answers').all() as { p: number; q: number; o: number }[]
    const indexOf = new Map(people.map((p) => [p.id, p.i]))
    const perPerson = new Map<number, number>()
    let wrongOption = 0
    for (const r of rows) {
      perPerson.set(r.p, (perPerson.get(r.p) ?? 0) + 1)
      if (r.o !== chosen(indexOf.get(r.p)!, r.q)) wrongOption++
    }
    const exactlyOnce = rows.length === expected && [...perPerson.values()].every((n) => n === QUESTIONS) && perPerson.size === PEOPLE
    const results = await api(`/quizzes/${quiz.id}/results`)
    const passedExpected = people.filter((p) => p.i % 5 !== 0).length
    const scoreMessages = [...telegram.sent(), ...zalo.sent()].filter((c) => String(c.params.text ?? '').includes('Bạn đã hoàn thành')).length
    latencies.sort((a, b) => a - b)

    const ok = exactlyOnce && wrongOption === 0 && results.completed === PEOPLE && results.passed === passedExpected && scoreMessages === PEOPLE && duplicatesAcked === redelivered
    const fig = (ms: number) => `${(ms / 1000).toFixed(2)} s`
    console.log(`quiz benchmark: ${PEOPLE} people (${PEOPLE / 2} Telegram, ${PEOPLE / 2} Zalo) × ${QUESTIONS} questions = ${expected} answers`)
    console.log(`  setup (directory, links, invitations, starts): ${fig(setupMs)}`)
    console.log(`  webhooks accepted:        ${expected} answers + ${redelivered} redeliveries in ${fig(acceptedMs)} (${Math.round((expected + redelivered) / (acceptedMs / 1000))} req/s)`)
    console.log(`  webhook latency:          p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`)
    console.log(`  all answers recorded in:  ${fig(recordedMs)} (${Math.round(expected / (recordedMs / 1000))} answers/s; target ${fig(TARGET_MS)})`)
    console.log(`  all ${PEOPLE} scored in:      ${fig(completedMs)}`)
    if (cpu0 !== null && cpu1 !== null) {
      const used = cpu1 - cpu0
      console.log(`  load generator and fakes: ${((own.user + own.system) / 1e6).toFixed(1)} s CPU`)
      console.log(`  server CPU while timed:   ${used.toFixed(1)} s = ${((used * 1000) / expected).toFixed(2)} ms per answer (${Math.round((100 * used) / (completedMs / 1000))}% of one core)`)
    }
    console.log(`  recorded exactly once:    ${exactlyOnce ? 'yes' : 'NO'} (${rows.length} rows, ${perPerson.size} people, ${wrongOption} with an option other than the one meant)`)
    console.log(`  redeliveries ignored:     ${duplicatesAcked}/${redelivered}`)
    console.log(`  results API:              completed ${results.completed}, passed ${results.passed} (expected ${passedExpected}), average score ${results.averageScore}`)
    console.log(`  score messages sent:      ${scoreMessages}; bot API calls during the run: ${telegram.calls.length + zalo.calls.length - callsBefore}`)
    console.log(`  within target:            ${recordedMs <= TARGET_MS ? 'yes' : 'NO'}`)
    if (!ok) process.exitCode = 1
  } finally {
    await stop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
