import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { Agent, request } from 'node:http'

const root = new URL('../..', import.meta.url).pathname

/**
 * `src/entry.node.ts` as its own process on 127.0.0.1:`port` (no npm in between), resolved once
 * `/healthz` answers. For tests that kill it, stop it or flood it over real sockets.
 */
export async function startServerProcess(port: number, env: Record<string, string>, stdio: StdioOptions = 'ignore'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry.node.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
    stdio,
  })
  const end = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)
    if (ok) return child
    if (Date.now() > end) throw new Error('server did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 })
/** Posts a body (raw, or JSON of an object); resolves with the status, or 0 when the server went away first. */
export function postStatus(port: number, path: string, body: unknown, headers: Record<string, string>): Promise<number> {
  const data = typeof body === 'string' ? body : JSON.stringify(body)
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', () => resolve(0))
      },
    )
    req.on('error', () => resolve(0))
    req.end(data)
  })
}
