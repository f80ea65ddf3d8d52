/**
 * The yardstick for bench/webhook.ts: a plain grammY bot doing the same job as Loa's /hoidap, and
 * nothing else. Each update is stored (a synchronous better-sqlite3 insert into its own table) and
 * answered with `await ctx.reply(...)` through the Bot API at BOT_API_ROOT, before the webhook's
 * 200 (grammY's webhookCallback waits for the handler). It runs in its own process on node:http
 * with grammY's `http` adapter (the one made for node:http) and `botInfo` given, so no getMe runs.
 *
 * Environment: PORT, DATABASE_PATH, BOT_TOKEN, BOT_API_ROOT, WEBHOOK_SECRET; optional SQLITE_SYNCHRONOUS=FULL,
 * WEBHOOK_REPLY=1 (answer inside the webhook response instead).
 * Started by bench/webhook.ts; by hand: PORT=8090 DATABASE_PATH=/tmp/plain.db BOT_TOKEN=1:x
 * BOT_API_ROOT=http://127.0.0.1:8081 WEBHOOK_SECRET=s3cret-bench npx tsx bench/plain-grammy-bot.ts
 */
import Database from 'better-sqlite3'
import { Bot, webhookCallback } from 'grammy'
import { createServer } from 'node:http'

const env = (name: string) => {
  const value = process.env[name]
  if (!value) {
    console.error(`plain-grammy-bot: ${name} is required`)
    process.exit(1)
  }
  return value
}
const port = Number(env('PORT'))
const db = new Database(env('DATABASE_PATH'))
db.pragma('journal_mode = WAL')
// What Loa uses today; SQLITE_SYNCHRONOUS=FULL compares against a durable Loa.
db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL'}`)
db.exec(`create table if not exists questions (
  id integer primary key,
  chat_id integer not null,
  text text not null,
  asked_at integer not null
)`)
const insert = db.prepare('insert into questions (chat_id, text, asked_at) values (?, ?, ?)')

const bot = new Bot(env('BOT_TOKEN'), {
  botInfo: {
    id: 7012345678,
    is_bot: true,
    first_name: 'NQ71 Cần Thơ',
    username: 'nq71_cantho_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  },
  client: {
    apiRoot: env('BOT_API_ROOT'),
    // WEBHOOK_REPLY=1: the reply rides in the webhook response (Telegram runs it), no request of its own.
    canUseWebhookReply: (method) => process.env.WEBHOOK_REPLY === '1' && method === 'sendMessage',
  },
})

bot.command('hoidap', async (ctx) => {
  const question = ctx.match.trim()
  const { lastInsertRowid } = insert.run(ctx.chat.id, question, Date.now())
  await ctx.reply(`Đã gửi câu hỏi số ${lastInsertRowid} tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.`)
})
bot.catch((err) => console.error('plain-grammy-bot:', err.message))

const handle = webhookCallback(bot, 'http', { secretToken: env('WEBHOOK_SECRET') })
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/webhook') {
    void handle(req, res)
    return
  }
  if (req.url === '/healthz') {
    const { n } = db.prepare('select count(*) n from questions').get() as { n: number }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, questions: n }))
    return
  }
  res.writeHead(404).end()
})
server.listen(port, '127.0.0.1')

const stop = () => {
  server.close()
  server.closeAllConnections()
  db.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
