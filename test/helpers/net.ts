import { createServer } from 'node:net'

/** A TCP port on 127.0.0.1 that was free a moment ago, for a server started as a child process. */
export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => ok(port))
    })
  })
}
