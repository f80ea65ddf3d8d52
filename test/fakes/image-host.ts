import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

interface Hosted {
  bytes: Uint8Array
  type: string
  /** false: no Content-Length (chunked), so only counting the stream can stop it. */
  length?: boolean
}

/**
 * A stand-in for the Zalo CDN that image URLs point at, on 127.0.0.1: files put at a path are served
 * in 64 KiB chunks (with or without Content-Length), `/redirect?to=` answers 302, and the bytes
 * written per path are counted so a test can tell that a download was cut short.
 */
export async function startImageHost() {
  const files = new Map<string, Hosted>()
  const written = new Map<string, number>()
  /** Whether the client went before the whole file was sent (it dropped the connection). */
  const dropped = new Map<string, boolean>()
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/redirect') return void res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end()
    const file = files.get(url.pathname)
    if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    res.writeHead(200, { 'content-type': file.type, ...(file.length === false ? {} : { 'content-length': String(file.bytes.byteLength) }) })
    written.set(url.pathname, 0)
    dropped.set(url.pathname, false)
    res.once('close', () => dropped.set(url.pathname, !res.writableFinished))
    for (let at = 0; at < file.bytes.byteLength && !res.destroyed; at += 64 * 1024) {
      const chunk = file.bytes.subarray(at, at + 64 * 1024)
      written.set(url.pathname, written.get(url.pathname)! + chunk.byteLength)
      if (!res.write(chunk)) await drainOrClose(res)
    }
    res.end()
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    put: (path: string, file: Hosted) => void files.set(path, file),
    /** Bytes written for `path` on its last request (undefined: never asked for). */
    written: (path: string) => written.get(path),
    /** True once the client dropped the connection of the last request for `path` before its end. */
    dropped: (path: string) => dropped.get(path),
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  }
}

/** Small real images' first bytes (enough for the type to be read), padded to `size`. */
export function fakeImage(kind: 'jpeg' | 'png' | 'gif' | 'webp', size = 2048, fill = 7): Uint8Array {
  const head = {
    jpeg: [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46],
    png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    gif: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
    webp: [0x52, 0x49, 0x46, 0x46, 0x00, 0x10, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50],
  }[kind]
  const out = new Uint8Array(size).fill(fill)
  out.set(head, 0)
  return out
}

/** Until the client reads on, or goes. */
function drainOrClose(res: import('node:http').ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}
