import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/net.js'

/**
 * `npm start` stopped as a supervisor stops it: one signal to the npm process, by its id. The port
 * closes at once, a request in flight is still answered and its write kept, and every process of
 * the tree (npm, the server, tsx's esbuild) is gone a moment later, with exit code 0.
 */
const root = new URL('../..', import.meta.url).pathname
const ADMIN_TOKEN = 'stop-test-admin-token-0123456789'
let dir: string
let started: { npm: ChildProcess; tree: number[] } | null = null

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-stop-'))
})
afterEach(() => {
  // Only if a test failed half-way: end what this test started, by process id.
  for (const pid of started?.tree ?? []) if (alive(pid)) process.kill(pid, 'SIGKILL')
  started = null
  rmSync(dir, { recursive: true, force: true })
})

/** Parent of each process, from /proc (Linux). */
function parents(): Map<number, number> {
  const map = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      map.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // Gone in the meantime.
    }
  }
  return map
}

/** `pid` and all its descendants. */
function processTree(pid: number): number[] {
  const ppid = parents()
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of ppid) if (parent === tree[i]) tree.push(child)
  return tree
}

/** Still running (a zombie waiting to be reaped has exited). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    return ''
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1')
    socket.on('connect', () => {
      socket.destroy()
      ok(true)
    })
    socket.on('error', () => ok(false))
  })
}

async function until(what: string, check: () => boolean | Promise<boolean>, maxMs: number) {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > maxMs) throw new Error(`timed out after ${maxMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

async function startServer() {
  const port = await freePort()
  const dbPath = join(dir, 'loa.db')
  let log = ''
  const npm = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: dbPath, PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  npm.stdout!.on('data', (d: Buffer) => (log += d))
  npm.stderr!.on('data', (d: Buffer) => (log += d))
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((ok) =>
    npm.on('exit', (code, signal) => ok({ code, signal, at: Date.now() })),
  )
  let done = false
  void exited.then(() => (done = true))
  await until(
    'GET /healthz',
    async () => {
      if (done) throw new Error(`npm start exited early:\n${log}`)
      return fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    },
    20_000,
  )
  const tree = processTree(npm.pid!)
  started = { npm, tree }
  return { npm, port, dbPath, exited, tree, log: () => log, hasExited: () => done }
}

describe('stopping npm start', () => {
  it('on SIGTERM to npm: closes the port, answers the request in flight, keeps its write, and every process exits 0', { timeout: 60_000 }, async () => {
    const server = await startServer()
    expect(server.tree.some((pid) => cmdline(pid).includes('src/entry.node.ts'))).toBe(true)

    // An admin's request whose body is still arriving when the stop begins.
    const body = JSON.stringify({ code: 'TRUONG-DANG-GUI', name: 'Trường gửi lúc dừng máy', kind: 'school' })
    const half = Buffer.from(body).subarray(0, 20)
    const rest = Buffer.from(body).subarray(20)
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/api/units',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    })
    const response = new Promise<{ status: number; text: string }>((ok, no) => {
      req.on('response', (res) => {
        let text = ''
        res.on('data', (d: Buffer) => (text += d))
        res.on('end', () => ok({ status: res.statusCode!, text }))
      })
      req.on('error', no)
    })
    void response.catch(() => {}) // awaited below; only a failed test leaves it hanging
    req.write(half)
    await new Promise((r) => setTimeout(r, 300))

    const signalledAt = Date.now()
    server.npm.kill('SIGTERM')
    await until('the port to close', async () => !(await accepts(server.port)), 3000)
    // The request in flight holds the stop until it is answered.
    expect(server.hasExited()).toBe(false)

    req.end(rest)
    const answer = await response
    expect(answer.status).toBeLessThan(300)
    expect(answer.text).toContain('TRUONG-DANG-GUI')

    const exit = await Promise.race([server.exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))])
    expect(exit, server.log()).not.toBeNull()
    expect(exit!.code, server.log()).toBe(0)
    // Within the ten seconds a supervisor (and .ci/run) waits before it kills.
    expect(exit!.at - signalledAt).toBeLessThan(10_000)
    await until('every process of the tree to exit', () => server.tree.every((pid) => !alive(pid)), 2000)
    expect(await accepts(server.port)).toBe(false)
    expect(server.log()).toContain('"msg":"stopped"')

    const db = new Database(server.dbPath, { readonly: true })
    try {
      expect(db.prepare(`select name from units where code = 'TRUONG-DANG-GUI'`).get()).toEqual({ name: 'Trường gửi lúc dừng máy' })
    } finally {
      db.close()
    }
  })

  it('on SIGINT to npm (Ctrl-C): stops within a few seconds with exit code 0 and leaves no process behind', { timeout: 60_000 }, async () => {
    const server = await startServer()
    const signalledAt = Date.now()
    server.npm.kill('SIGINT')
    const exit = await Promise.race([server.exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))])
    expect(exit, server.log()).not.toBeNull()
    expect(exit!.code, server.log()).toBe(0)
    // Within the ten seconds a supervisor (and .ci/run) waits before it kills.
    expect(exit!.at - signalledAt).toBeLessThan(10_000)
    await until('every process of the tree to exit', () => server.tree.every((pid) => !alive(pid)), 2000)
    expect(await accepts(server.port)).toBe(false)
  })
})
