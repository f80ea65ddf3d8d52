import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from '../test/helpers/net.js'

/**
 * The Worker under `wrangler dev --local` for bench/d1-cost.ts, started as
 * test/integration/worker.test.ts starts it, with the bench-only D1 meter on (`BENCH_D1_METER=1`),
 * over a local D1 seeded straight from SQL with a city: one Department, 20 wards, 200 schools of 100
 * staff each (20,000 people, the first of each school its focal point), everyone linked, four in five on
 * Telegram and one in five on the Zalo bot.
 */
export const ADMIN_TOKEN = 'bench-d1-admin-token-0123456789abcdef'
export const TG_SECRET = 'bench-d1-telegram-secret-0123456789'
export const ZALO_SECRET = 'bench-d1-zalo-secret-1'
export const WARDS = 20
export const SCHOOLS = 200
export const PER_SCHOOL = 100
const root = new URL('..', import.meta.url).pathname
const wrangler = join(root, 'node_modules/.bin/wrangler')
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }

/** Person i (0-based)'s chat: Telegram for four in five, the Zalo bot for the fifth. */
export const chatOf = (i: number) => (i % 5 === 4 ? { channel: 'zalo' as const, chatId: `zc${i}` } : { channel: 'telegram' as const, chatId: String(800_000_000 + i) })

function citySql(): string {
  const lines: string[] = ["insert into units (id, code, name, kind, parent_id) values (1, 'SGDDT', 'Sở GD&ĐT Cần Thơ', 'department', null);"]
  const wards = Array.from({ length: WARDS }, (_, w) => `(${2 + w}, 'P${w}', 'Phường ${w}', 'commune', 1)`)
  lines.push(`insert into units (id, code, name, kind, parent_id) values ${wards.join(',')};`)
  const schools = Array.from({ length: SCHOOLS }, (_, s) => `(${100 + s}, 'TH${s}', 'Trường ${s}', 'school', ${2 + (s % WARDS)}, ${PER_SCHOOL})`)
  lines.push(`insert into units (id, code, name, kind, parent_id, staff_count) values ${schools.join(',')};`)
  const now = Math.floor(Date.now() / 1000) - 86_400 * 40
  for (let start = 0; start < SCHOOLS * PER_SCHOOL; start += 500) {
    const people: string[] = []
    const links: string[] = []
    for (let i = start; i < start + 500; i++) {
      const roles = i % PER_SCHOOL === 0 ? '["teacher","focal_point"]' : '["teacher"]'
      people.push(`(${i + 1}, 'NV${i}', 'Giáo viên ${i}', ${100 + Math.floor(i / PER_SCHOOL)}, '${roles}', ${now}, ${now})`)
      const chat = chatOf(i)
      links.push(`(${i + 1}, '${chat.channel}', '${chat.chatId}', ${now})`)
    }
    lines.push(`insert into people (id, external_id, full_name, unit_id, roles, created_at, updated_at) values ${people.join(',')};`)
    lines.push(`insert into chat_links (person_id, channel, chat_id, linked_at) values ${links.join(',')};`)
  }
  return lines.join('\n')
}

/** The migrations applied and the city written into a fresh local D1 under `dir`. */
export async function seedD1(dir: string): Promise<void> {
  await promisify(execFile)(wrangler, ['d1', 'migrations', 'apply', 'loa', '--local', '--persist-to', dir], { cwd: root, env })
  const file = join(dir, 'city.sql')
  writeFileSync(file, citySql())
  await promisify(execFile)(wrangler, ['d1', 'execute', 'loa', '--local', '--persist-to', dir, '--file', file, '--yes'], { cwd: root, env, maxBuffer: 1 << 24 })
}

export interface Dev {
  base: string
  proc: ChildProcess
  output: () => string
  /** wrangler dev's inspector (DevTools protocol): bench/d1-profile.ts profiles the Worker through it. */
  inspectorPort: number
}

export async function startDev(dir: string, vars: Record<string, string>): Promise<Dev> {
  const port = await freePort()
  const inspectorPort = await freePort()
  const all = { ADMIN_TOKEN, BENCH_D1_METER: '1', TELEGRAM_BOT_TOKEN: '123456:BENCH-telegram', TELEGRAM_WEBHOOK_SECRET: TG_SECRET, ZALO_BOT_TOKEN: '987654:bench-zalo', ZALO_WEBHOOK_SECRET: ZALO_SECRET, TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32), PUBLIC_URL: 'https://loa.example.gov.vn', ...vars }
  const proc = spawn(
    wrangler,
    ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--persist-to', dir, '--test-scheduled',
      '--show-interactive-dev-session=false', ...Object.entries(all).flatMap(([k, v]) => ['--var', `${k}:${v}`])],
    { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  proc.stdout!.on('data', (d: Buffer) => (output = (output + d).slice(-200_000)))
  proc.stderr!.on('data', (d: Buffer) => (output = (output + d).slice(-200_000)))
  const base = `http://127.0.0.1:${port}`
  const end = Date.now() + 90_000
  for (;;) {
    if ((await fetch(`${base}/healthz`).catch(() => undefined))?.ok) break
    if (Date.now() > end) throw new Error(`wrangler dev did not start\n${output.slice(-3000)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return { base, proc, output: () => output, inspectorPort }
}

/** The process ids under `pid` (wrangler's workerd among them). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {
      // gone
    }
  }
  const out: number[] = []
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)))
  walk(pid)
  return out
}

/**
 * CPU time in ms spent so far by workerd (the Worker and, locally, the D1 database it talks to),
 * summed over its threads from /proc's schedstat (nanoseconds). Linux only.
 */
export function workerdCpuMs(dev: Dev): number {
  let ns = 0
  for (const pid of descendants(dev.proc.pid!)) {
    let comm = ''
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
    } catch {
      continue
    }
    if (!comm.startsWith('workerd')) continue
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0])
      } catch {
        // thread gone
      }
    }
  }
  return ns / 1e6
}
