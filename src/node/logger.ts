import pino, { type Logger } from 'pino'
import { createRequire } from 'node:module'
import type { SonicBoom as SonicBoomClass } from 'sonic-boom'

// A CommonJS package whose typings name a class its module object is not: loaded with require.
const SonicBoom = createRequire(import.meta.url)('sonic-boom') as typeof SonicBoomClass

/** Log lines held in memory while standard output is not taken; past this, lines are dropped. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024

export interface NodeLogger {
  logger: Logger
  /** Lines dropped so far because standard output was not taken (a stuck log reader). */
  dropped: () => number
  /** Writes out what is buffered, waiting at most `maxMs` (a stuck reader must not hold a stop). */
  flush: (maxMs: number) => Promise<void>
  /** Writes out what is buffered now, for a fatal exit (may wait on a stuck reader). */
  flushSync: () => void
}

/**
 * The server's pino logger. Lines go to standard output asynchronously: a log reader that stops
 * reading (a full pipe, a stalled journald or `docker logs`) would otherwise block every write,
 * and with it the event loop, webhooks and the stop. Up to MAX_BUFFERED_BYTES wait in memory;
 * beyond that lines are dropped and counted rather than stopping the server. The stop flushes
 * them within its budget (`flush`), and fatal exits synchronously (`flushSync`).
 */
export function createNodeLogger(level: string): NodeLogger {
  // SonicBoom itself rather than pino.destination(), which also registers a synchronous flush at
  // process exit: with a stuck reader that flush never returns, and the process never exits.
  const destination = new SonicBoom({ fd: 1, sync: false, maxLength: MAX_BUFFERED_BYTES })
  // Bytes handed to the stream and not yet written or dropped: what a flush waits for.
  let pending = 0
  let dropped = 0
  const write = destination.write.bind(destination)
  destination.write = (data: string) => {
    pending += Buffer.byteLength(data)
    return write(data)
  }
  destination.on('write', (n: number) => (pending = Math.max(0, pending - n)))
  destination.on('drop', (data: string) => {
    dropped++
    pending = Math.max(0, pending - Buffer.byteLength(data))
  })
  // The reader went away (EPIPE): stop logging rather than fail.
  destination.on('error', () => {
    destination.write = () => true
    pending = 0
  })
  const logger = pino(
    {
      level,
      redact: { paths: ['token', '*.token', 'phone', '*.phone', 'authorization', '*.authorization'], censor: '[redacted]' },
    },
    destination,
  )
  return {
    logger,
    dropped: () => dropped,
    flushSync: () => {
      try {
        destination.flushSync()
      } catch {
        // Not open yet, or the reader is gone: the line is lost, the exit is not held.
      }
    },
    flush: async (maxMs) => {
      const until = Date.now() + maxMs
      while (pending > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5))
    },
  }
}
