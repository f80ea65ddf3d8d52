/**
 * The second yardstick for bench/webhook.ts: a grammY bot written the way grammY's documentation
 * shows one on Hono (grammy.dev, "Hosting: Supabase/Deno/Hono" and the webhookCallback reference):
 * a `Bot`, a command handler that answers with `ctx.reply`, and `webhookCallback(bot, 'hono')`
 * mounted on a Hono app served by @hono/node-server. No `botInfo` is given, so grammY runs getMe
 * once, on the first update, as the documented bot does. It stores each question like the plain bot
 * (bench/plain-grammy-bot.ts), so both do the job Loa's /hoidap does, and nothing more.
 *
 * Environment: PORT, DATABASE_PATH, BOT_TOKEN, BOT_API_ROOT, WEBHOOK_SECRET. Started by bench/webhook.ts.
 */
import Database from 'better-sqlite3'
import { serve } from '@hono/node-server'
import { Bot, webhookCallback } from 'grammy'
import { Hono } from 'hono'

const env = (name: string) => {
  const value = process.env[name]
  if (!value) {
    console.error(`documented-grammy-bot: ${name} is required`)
    process.exit(1)
  }
  return value
}
const db = new Database(env('DATABASE_PATH'))
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.exec('create table if not exists questions (id integer primary key, chat_id integer not null, text text not null, asked_at integer not null)')
const insert = db.prepare('insert into questions (chat_id, text, asked_at) values (?, ?, ?)')

const bot = new Bot(env('BOT_TOKEN'), { client: { apiRoot: env('BOT_API_ROOT') } })
bot.command('hoidap', async (ctx) => {
  const { lastInsertRowid } = insert.run(ctx.chat.id, ctx.match.trim(), Date.now())
  await ctx.reply(`Đã gửi câu hỏi số ${lastInsertRowid} tới Sở GD&ĐT. Câu trả lời sẽ được gửi về đây.`)
})

const app = new Hono()
app.post('/webhook', webhookCallback(bot, 'hono', { secretToken: env('WEBHOOK_SECRET') }))
app.get('/healthz', (c) => c.json({ ok: true, questions: (db.prepare('select count(*) n from questions').get() as { n: number }).n }))

const server = serve({ fetch: app.fetch, port: Number(env('PORT')), hostname: '127.0.0.1' })
const stop = () => {
  server.close()
  db.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
