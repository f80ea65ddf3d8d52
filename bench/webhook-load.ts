/**
 * Load generator for bench/webhook.ts, in its own process so its CPU is not the bot's: posts
 * `count` Telegram updates (`/hoidap <question>` from `chats` different private chats, in turn)
 * to one webhook URL over `connections` keep-alive connections, and prints one JSON line with
 * when it started and ended (epoch ms), the webhook latencies and the status codes.
 *
 * Telegram may take one Bot API call as the webhook's response body and run it itself; when a
 * response carries one (`{"method":"sendMessage",…}`), it is forwarded to the fake Bot API as
 * Telegram would, so the fake still counts every reply.
 *
 * Run by bench/webhook.ts: npx tsx bench/webhook-load.ts '<json options>'
 */
import { Agent, request } from 'node:http'

export interface LoadOptions {
  url: string
  headers: Record<string, string>
  connections: number
  count: number
  /** Chat ids are firstChat … firstChat + chats - 1; update k goes to chat (chatOffset + k) % chats. */
  firstChat: number
  chats: number
  chatOffset: number
  firstUpdateId: number
  /** Words that make this batch's questions different from another batch's. */
  label: string
  /** Where a Bot API call found in a webhook response is sent, as Telegram would. */
  apiRoot: string
  token: string
}

export interface LoadResult {
  startedAt: number
  endedAt: number
  sent: number
  statuses: Record<string, number>
  errors: number
  retries: number
  forwarded: number
  /** CPU seconds this load generator used. */
  cpuSeconds: number
  p50: number
  p90: number
  p99: number
  max: number
}

/** The update the bench sends as number k: the same for Loa and the plain bot. */
export function questionUpdate(o: Pick<LoadOptions, 'firstChat' | 'chats' | 'chatOffset' | 'firstUpdateId' | 'label'>, k: number) {
  const chatId = o.firstChat + ((o.chatOffset + k) % o.chats)
  const updateId = o.firstUpdateId + k
  const text = `/hoidap Khi nào trường nhận tài liệu tập huấn Nghị quyết 71 đợt ${o.label}, câu ${k + 1}?`
  return {
    update_id: updateId,
    message: {
      message_id: (updateId % 1_000_000) + 1,
      from: { id: chatId, is_bot: false, first_name: 'Lan', last_name: 'Nguyễn Thị', language_code: 'vi' },
      chat: { id: chatId, first_name: 'Lan', type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
      entities: [{ offset: 0, length: '/hoidap'.length, type: 'bot_command' }],
    },
  }
}

const pct = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0)

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections })
  const forwardAgent = new Agent({ keepAlive: true, maxSockets: 10 })
  const target = new URL(o.url)
  const bodies = Array.from({ length: o.count }, (_, k) => Buffer.from(JSON.stringify(questionUpdate(o, k))))
  const latencies = new Float64Array(o.count)
  const statuses: Record<string, number> = {}
  const forwarding: Promise<void>[] = []
  let errors = 0
  let retries = 0

  const post = (body: Buffer) =>
    new Promise<{ status: number; type: string; text: string }>((ok, fail) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          timeout: 30_000,
          headers: { ...o.headers, 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }))
          res.on('error', fail)
        },
      )
      req.on('timeout', () => req.destroy(new Error('webhook timed out after 30 s')))
      req.on('error', fail)
      req.end(body)
    })

  const forward = (call: Record<string, unknown>) =>
    new Promise<void>((ok) => {
      const { method, ...params } = call
      const data = Buffer.from(JSON.stringify(params))
      const req = request(
        `${o.apiRoot}/bot${o.token}/${String(method)}`,
        { method: 'POST', agent: forwardAgent, headers: { 'content-type': 'application/json', 'content-length': data.length } },
        (res) => {
          res.resume()
          res.on('end', () => ok())
          res.on('error', () => ok())
        },
      )
      req.on('error', () => ok())
      req.end(data)
    })

  let next = 0
  let forwarded = 0
  const cpu0 = process.cpuUsage()
  const startedAt = Date.now()
  await Promise.all(
    Array.from({ length: Math.min(o.connections, o.count) }, async () => {
      while (next < o.count) {
        const k = next++
        const started = performance.now()
        let res: Awaited<ReturnType<typeof post>> | undefined
        // A kept-alive socket the server closed while idle fails once; one retry, then it is an error.
        for (let attempt = 1; attempt <= 2 && !res; attempt++) {
          try {
            res = await post(bodies[k]!)
          } catch {
            if (attempt === 1) retries++
          }
        }
        latencies[k] = performance.now() - started
        if (!res) {
          errors++
          continue
        }
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
        if (res.type.includes('application/json') && res.text.includes('"method"')) {
          const call = JSON.parse(res.text) as Record<string, unknown>
          if (typeof call.method === 'string') {
            forwarded++
            forwarding.push(forward(call))
          }
        }
      }
    }),
  )
  const endedAt = Date.now()
  await Promise.all(forwarding)
  agent.destroy()
  forwardAgent.destroy()
  const cpu = process.cpuUsage(cpu0)
  const sorted = latencies.sort()
  return {
    startedAt,
    endedAt,
    sent: o.count,
    statuses,
    errors,
    retries,
    forwarded,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    p50: pct(sorted, 50),
    p90: pct(sorted, 90),
    p99: pct(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
  }
}

if (process.argv[1]?.endsWith('webhook-load.ts')) {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions
  runLoad(options).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`)
      process.exit(0)
    },
    (err) => {
      console.error(err)
      process.exit(1)
    },
  )
}
