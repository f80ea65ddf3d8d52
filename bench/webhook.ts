/**
 * Webhook throughput of answered messages: Loa against a plain grammY bot and against a grammY bot
 * written as grammY's documentation shows (bench/documented-grammy-bot.ts: Hono, webhookCallback(bot,
 * 'hono'), ctx.reply), side by side in one run, each bot in its own process.
 *
 * Both get the same Telegram updates, `/hoidap <question>` from many linked private chats, over
 * real HTTP from a load generator in its own process (bench/webhook-load.ts, 50 keep-alive
 * connections), and both talk to the same fake Telegram Bot API (test/fakes/bot-api.ts, here on
 * 127.0.0.1). Each bot is its own process: Loa is the real server (src/entry.node.ts, a temporary
 * SQLite file, people linked with invite codes and `/start CODE`); the plain bot is
 * bench/plain-grammy-bot.ts (store with better-sqlite3, then `await ctx.reply`). A message counts
 * as answered when its reply reaches the fake Bot API; the run waits for every reply.
 *
 * Chats outnumber what either bot answers in a second, so Loa's pace of one message a second per
 * chat and its per-chat flood control (about 20 a minute) are not what is measured; Loa's
 * outbound rate is set far above the load.
 *
 * Run: npx tsx bench/webhook.ts [updates=20000] [chats=10000] [rounds=1]
 *      BENCH_CONNECTIONS=50; for the plain bot BENCH_SYNCHRONOUS=FULL (durable inserts) and
 *      BENCH_PLAIN_WEBHOOK_REPLY=1 (replies inside the webhook response); BENCH_PROF=dir for a Loa CPU profile
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import { startFakeBotApi, type FakeBotApi } from '../test/fakes/bot-api.js'
import { freePort } from '../test/helpers/net.js'
import type { LoadOptions, LoadResult } from './webhook-load.js'

const UPDATES = Number(process.argv[2] ?? 20_000)
const CHATS = Number(process.argv[3] ?? 10_000)
const ROUNDS = Number(process.argv[4] ?? 1)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const WARMUP = Math.min(2_000, CHATS)
const GOAL_RATIO = 1.5
const GOAL_P99_MS = 30
/** The whole run stops (children killed) after this, whatever happens. */
const DEADLINE_MS = 15 * 60_000
const FIRST_CHAT = 8_100_000_000
const TOKEN = '123456:BENCH-telegram-token'
const SECRET = 'bench-webhook-secret-1'
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef'
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

for (const [name, value] of Object.entries({ UPDATES, CHATS, ROUNDS, CONNECTIONS })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1 (got ${value})`)
}

// Loa answers a chat that sends more than about 20 messages a minute only with "xin chậm lại", and
// sends a chat at most one message a second: keep each chat's share of the load below both.
const perChat = 2 + Math.ceil((ROUNDS * UPDATES) / CHATS)
if (perChat > 15) {
  console.log(`note: each chat sends ${perChat} messages in this run; Loa's flood control may answer some with "xin chậm lại" (use more chats)`)
}

const children = new Set<ChildProcess>()
/** Set on SIGINT/SIGTERM: what fails while the children are being stopped is no news. */
let stopping = false
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function start(name: string, args: string[], env: Record<string, string>, stdout: 'ignore' | 'pipe' = 'ignore') {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', stdout, 'inherit'], env: { ...process.env, ...env } })
  children.add(child)
  child.once('exit', () => children.delete(child))
  child.once('error', (err) => console.error(`${name}: ${err.message}`))
  return child
}

/** SIGTERM to one child by its pid, SIGKILL if it is still there after 5 s. */
async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  if ((await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)])) === false) {
    child.kill('SIGKILL')
    await Promise.race([exited, sleep(2_000)])
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, maxMs: number) {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > maxMs) throw new Error(`timed out after ${maxMs / 1000} s waiting for ${what}`)
    await sleep(50)
  }
}

/** CPU seconds a process has used (Linux /proc), or null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  return new Promise<{ status: number; text: string }>((ok, fail) => {
    const data = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body))
    const req = request(
      url,
      {
        method: init.method ?? (data ? 'POST' : 'GET'),
        agent,
        timeout: 60_000,
        headers: { ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}), ...init.headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => ok({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', fail)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer in 60 s`)))
    req.on('error', fail)
    req.end(data)
  })
}

/** Counts the fake's successful sends as they come, without rescanning the whole call log. */
function replyCounter(fake: FakeBotApi) {
  let scanned = 0
  const sends: { chatId: string; text: string; at: number }[] = []
  const scan = () => {
    for (; scanned < fake.calls.length; scanned++) {
      const c = fake.calls[scanned]!
      if (c.method.startsWith('send')) sends.push({ chatId: String(c.params.chat_id), text: String(c.params.text ?? ''), at: c.at })
    }
    return sends.length
  }
  return { scan, sends }
}

async function main() {
  const fake = await startFakeBotApi({ platform: 'telegram' })
  const replies = replyCounter(fake)
  const dir = mkdtempSync(join(tmpdir(), 'loa-bench-webhook-'))
  let cleaned = false
  const cleanup = async () => {
    if (cleaned) return
    cleaned = true
    await Promise.all([...children].map(stopChild))
    agent.destroy()
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const deadline = setTimeout(() => {
    console.error(`bench/webhook.ts: still running after ${DEADLINE_MS / 60_000} minutes; stopping`)
    void cleanup().finally(() => process.exit(1))
  }, DEADLINE_MS)
  deadline.unref()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`bench/webhook.ts: ${signal}, stopping the bots`)
      stopping = true
      void cleanup().finally(() => process.exit(130))
    })
  }

  try {
    const dbPath = join(dir, 'loa.db')
    const loaPort = await freePort()
    const loa = `http://127.0.0.1:${loaPort}`
    const loaEnv = {
      DATABASE_PATH: dbPath,
      ADMIN_TOKEN,
      LOG_LEVEL: 'error',
      BOT_MODE: 'webhook',
      PUBLIC_URL: '',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_RATE_PER_SECOND: '100000',
      ZALO_BOT_TOKEN: '',
    }
    const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []
    const loaServer = start('Loa', [...prof, '--import', 'tsx', 'src/entry.node.ts'], { ...loaEnv, PORT: String(loaPort), HOST: '127.0.0.1' })
    const alive = (child: ChildProcess, name: string) => {
      if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`)
    }
    await until('Loa to start', () => (alive(loaServer, 'Loa'), call(`${loa}/healthz`).then((r) => r.status === 200, () => false)), 60_000)
    const admin = async (path: string, body?: unknown) => {
      const res = await call(`${loa}/api${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body })
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text.slice(0, 300)}`)
      return JSON.parse(res.text) as any
    }

    // ---- Setup (not timed): CHATS people, each with an invite code, each linked with /start CODE.
    const setupStarted = Date.now()
    await admin('/units', [
      { code: 'SGDDT', name: 'Sở GD&ĐT', kind: 'department' },
      ...Array.from({ length: 20 }, (_, u) => ({ code: `TH-${u}`, name: `Trường ${u}`, kind: 'school', parentCode: 'SGDDT', staffCount: 600 })),
    ])
    for (let from = 0; from < CHATS; from += 5_000) {
      await admin(
        '/people',
        Array.from({ length: Math.min(5_000, CHATS - from) }, (_, j) => ({
          externalId: `W${from + j}`,
          fullName: `Giáo viên ${from + j}`,
          unitCode: `TH-${(from + j) % 20}`,
          roles: ['teacher'],
        })),
      )
    }
    // One invite code for everyone without a chat, the way an admin prints them: `npm run cli -- invites`.
    const sheet = join(dir, 'invites.csv')
    const cli = start('cli invites', ['--import', 'tsx', 'src/entry.cli.ts', 'invites', '--out', sheet], loaEnv)
    const cliCode = await new Promise<number | null>((r) => cli.once('exit', r))
    if (cliCode !== 0) throw new Error(`cli invites exited with code ${cliCode}`)
    const rows = parse(readFileSync(sheet, 'utf8'), { bom: true, from_line: 2, delimiter: [';', ','] }) as string[][]
    // Columns found by what they hold (external id W…, code XXXX-XXXX), not by their place or title.
    const idColumn = rows[0]?.findIndex((v) => /^W\d+$/.test(v)) ?? -1
    const codeColumn = rows[0]?.findIndex((v) => /^[A-Z2-9]{4}-[A-Z2-9]{4}$/.test(v)) ?? -1
    const codes = new Map(rows.map((r) => [r[idColumn]!, r[codeColumn]!]))
    if (codes.size !== CHATS) throw new Error(`cli invites gave ${codes.size} codes for ${CHATS} people`)
    let nextLink = 0
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (nextLink < CHATS) {
          const i = nextLink++
          const chatId = FIRST_CHAT + i
          const update = {
            update_id: 1_000_000 + i,
            message: {
              message_id: 1,
              from: { id: chatId, is_bot: false, first_name: 'Lan', language_code: 'vi' },
              chat: { id: chatId, first_name: 'Lan', type: 'private' },
              date: Math.floor(Date.now() / 1000),
              text: `/start ${codes.get(`W${i}`)}`,
              entities: [{ offset: 0, length: 6, type: 'bot_command' }],
            },
          }
          const res = await call(`${loa}/webhook/telegram`, { headers: { 'x-telegram-bot-api-secret-token': SECRET }, body: update })
          if (res.status !== 200) throw new Error(`/start webhook: ${res.status} ${res.text.slice(0, 200)}`)
          // A greeting given as the webhook's response body is a Bot API call Telegram would run: run it.
          const { method, ...params } = (res.text.startsWith('{') ? JSON.parse(res.text) : {}) as Record<string, unknown>
          if (typeof method === 'string') await call(`${fake.url}/bot${TOKEN}/${method}`, { body: params })
        }
      }),
    )
    // Every chat is greeted once it is linked; wait for all greetings, then for the bot to go quiet.
    const greeted = () => {
      replies.scan()
      return new Set(replies.sends.map((s) => s.chatId)).size >= CHATS
    }
    await until(`greetings in all ${CHATS} chats`, greeted, 180_000)
    await quiet()
    const setupMs = Date.now() - setupStarted

    // ---- The plain grammY bot, in its own process, on its own SQLite file.
    const plainPort = await freePort()
    const plain = `http://127.0.0.1:${plainPort}`
    const plainBot = start('plain grammY bot', ['--import', 'tsx', 'bench/plain-grammy-bot.ts'], {
      PORT: String(plainPort),
      DATABASE_PATH: join(dir, 'plain.db'),
      BOT_TOKEN: TOKEN,
      BOT_API_ROOT: fake.url,
      WEBHOOK_SECRET: SECRET,
      SQLITE_SYNCHRONOUS: process.env.BENCH_SYNCHRONOUS ?? 'NORMAL',
      WEBHOOK_REPLY: process.env.BENCH_PLAIN_WEBHOOK_REPLY ?? '0',
    })
    await until('the plain bot to start', () => (alive(plainBot, 'the plain bot'), call(`${plain}/healthz`).then((r) => r.status === 200, () => false)), 60_000)

    // ---- The grammY bot as grammY's documentation writes one (Hono, webhookCallback(bot, 'hono'), ctx.reply).
    const docPort = await freePort()
    const doc = `http://127.0.0.1:${docPort}`
    const docBot = start('documented grammY bot', ['--import', 'tsx', 'bench/documented-grammy-bot.ts'], {
      PORT: String(docPort),
      DATABASE_PATH: join(dir, 'documented.db'),
      BOT_TOKEN: TOKEN,
      BOT_API_ROOT: fake.url,
      WEBHOOK_SECRET: SECRET,
    })
    await until('the documented bot to start', () => (alive(docBot, 'the documented bot'), call(`${doc}/healthz`).then((r) => r.status === 200, () => false)), 60_000)

    const bots = [
      {
        name: 'grammY-hono',
        child: docBot,
        webhook: `${doc}/webhook`,
        stored: async () => (JSON.parse((await call(`${doc}/healthz`)).text) as { questions: number }).questions,
      },
      {
        name: 'grammY',
        child: plainBot,
        webhook: `${plain}/webhook`,
        stored: async () => (JSON.parse((await call(`${plain}/healthz`)).text) as { questions: number }).questions,
      },
      {
        name: 'Loa',
        child: loaServer,
        webhook: `${loa}/webhook/telegram`,
        stored: async () => (await admin('/questions?status=all&limit=1')).total as number,
      },
    ]

    /** Waits until no send reached the fake for 1.2 s (also: every chat's one-a-second pace has passed). */
    async function quiet() {
      let count = replies.scan()
      let since = Date.now()
      await until(
        'the bots to go quiet',
        () => {
          const now = replies.scan()
          if (now !== count) {
            count = now
            since = Date.now()
          }
          return Date.now() - since >= 1_200
        },
        120_000,
      )
    }

    interface Measure {
      bot: string
      result: LoadResult
      answered: number
      acknowledged: number
      otherReplies: number
      stored: number
      lastReplyAt: number
      perSecond: number
      cpuMsPerAnswer: number | null
      fakeCpuMs: number
    }

    /** Sends `count` updates to one bot from the load generator process; waits for every reply. */
    async function measure(bot: (typeof bots)[number], count: number, chatOffset: number, firstUpdateId: number, label: string): Promise<Measure> {
      await quiet()
      const from = replies.scan()
      const storedBefore = await bot.stored()
      const cpu0 = cpuSeconds(bot.child.pid)
      const own0 = process.cpuUsage()
      const options: LoadOptions = {
        url: bot.webhook,
        headers: { 'x-telegram-bot-api-secret-token': SECRET },
        connections: CONNECTIONS,
        count,
        firstChat: FIRST_CHAT,
        chats: CHATS,
        chatOffset,
        firstUpdateId,
        label,
        apiRoot: fake.url,
        token: TOKEN,
      }
      const load = start('load generator', ['--import', 'tsx', 'bench/webhook-load.ts', JSON.stringify(options)], {}, 'pipe')
      let out = ''
      load.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')))
      const code = await new Promise<number | null>((r) => load.once('exit', r))
      if (code !== 0) throw new Error(`load generator exited with code ${code}`)
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult
      await until(`${count} replies from ${bot.name}`, () => replies.scan() - from >= count, 180_000)
      const cpu1 = cpuSeconds(bot.child.pid)
      const own = process.cpuUsage(own0)
      await sleep(300) // anything sent beyond one reply per message shows up here
      replies.scan()
      const got = replies.sends.slice(from)
      const lastReplyAt = [...got.slice(0, count)].sort((a, b) => a.at - b.at).at(-1)!.at
      const acknowledged = got.filter((s) => /câu hỏi số \d+/.test(s.text)).length
      const seconds = Math.max(1, lastReplyAt - result.startedAt) / 1000
      return {
        bot: bot.name,
        result,
        answered: count,
        acknowledged,
        otherReplies: got.length - acknowledged,
        stored: (await bot.stored()) - storedBefore,
        lastReplyAt,
        perSecond: count / seconds,
        cpuMsPerAnswer: cpu0 !== null && cpu1 !== null ? ((cpu1 - cpu0) * 1000) / count : null,
        fakeCpuMs: (own.user + own.system) / 1000 / count,
      }
    }

    // ---- Warm-up (JIT, caches, connections), then the measured rounds, grammY then Loa each time.
    for (const [b, bot] of bots.entries()) await measure(bot, WARMUP, 0, 2_000_000 + b * 100_000, 'khởi động')
    const results: Measure[][] = []
    for (let r = 0; r < ROUNDS; r++) {
      const round: Measure[] = []
      for (const bot of bots) round.push(await measure(bot, UPDATES, (WARMUP + r * UPDATES) % CHATS, 10_000_000 + r * 1_000_000, `${r + 1}`))
      results.push(round)
    }

    // ---- Report
    const f0 = (n: number) => Math.round(n).toLocaleString('en-US')
    const f1 = (n: number) => n.toFixed(1)
    console.log(
      `webhook benchmark: ${f0(UPDATES)} /hoidap messages from ${f0(CHATS)} linked Telegram chats, ${CONNECTIONS} connections, ` +
        `${ROUNDS} round(s); setup ${f1(setupMs / 1000)} s`,
    )
    let ok = true
    for (const [r, round] of results.entries()) {
      if (ROUNDS > 1) console.log(`  round ${r + 1}`)
      for (const m of round) {
        const failed = m.result.errors + Object.entries(m.result.statuses).filter(([s]) => s !== '200').reduce((n, [, c]) => n + c, 0)
        const right = m.acknowledged === m.answered && m.otherReplies === 0 && m.stored === m.answered && failed === 0
        ok &&= right
        console.log(
          `  ${m.bot.padEnd(11)} ${f0(m.perSecond).padStart(6)} answered/s  webhook p50 ${f1(m.result.p50).padStart(6)} ms  p99 ${f1(m.result.p99).padStart(6)} ms  max ${f1(m.result.max).padStart(6)} ms` +
            `  acks ${f0(m.answered / ((m.result.endedAt - m.result.startedAt) / 1000))}/s` +
            (m.cpuMsPerAnswer !== null ? `  bot CPU ${m.cpuMsPerAnswer.toFixed(3)} ms/answer` : ''),
        )
        console.log(
          `          replies ${m.acknowledged}/${m.answered} (+${m.otherReplies} other), stored ${m.stored}, non-200 or failed webhooks ${failed}` +
            `${m.result.retries ? `, ${m.result.retries} retried` : ''}${m.result.forwarded ? `, ${m.result.forwarded} replies in webhook responses` : ''}` +
            `; CPU ms/message: load ${((m.result.cpuSeconds * 1000) / m.answered).toFixed(2)}, fake API ${m.fakeCpuMs.toFixed(2)}  ${right ? 'ok' : 'WRONG'}`,
        )
      }
    }
    // bots: 0 the documented grammY bot (Hono), 1 the plain grammY bot (node:http), 2 Loa.
    const medianRatio = (against: number) => {
      const ratios = results.map((round) => round[2]!.perSecond / round[against]!.perSecond).sort((a, b) => a - b)
      return { ratio: ratios[Math.floor(ratios.length / 2)]!, ratios }
    }
    const { ratio, ratios } = medianRatio(1)
    const documented = medianRatio(0)
    const loaP99 = results.map((round) => round[2]!.result.p99).sort((a, b) => a - b)[Math.floor(results.length / 2)]!
    console.log(`  ratio Loa/grammY: ${ratio.toFixed(2)}×${ROUNDS > 1 ? ` (median of ${ratios.map((x) => x.toFixed(2)).join(', ')})` : ''}`)
    console.log(
      `  ratio Loa/grammY as documented (Hono, webhookCallback(bot, 'hono'), ctx.reply): ${documented.ratio.toFixed(2)}×` +
        `${ROUNDS > 1 ? ` (median of ${documented.ratios.map((x) => x.toFixed(2)).join(', ')})` : ''}`,
    )
    console.log(
      `  goal (≥ ${GOAL_RATIO}× and Loa p99 < ${GOAL_P99_MS} ms): ${ratio >= GOAL_RATIO && loaP99 < GOAL_P99_MS ? 'met' : 'not met'}` +
        ` (ratio ${ratio.toFixed(2)}×, p99 ${f1(loaP99)} ms)`,
    )
    if (!ok) {
      console.log('  some messages were not answered, stored or accepted exactly once: see WRONG above')
      process.exitCode = 1
    }
  } finally {
    await cleanup()
    clearTimeout(deadline)
  }
}

main().then(
  () => process.exit(),
  (err) => {
    if (stopping) return
    console.error(err)
    process.exit(1)
  },
)
