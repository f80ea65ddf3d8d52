import { ChannelError } from './core/channel.js'

/** Error details safe to log: no URLs (they may hold a bot token), no request bodies. */
export function describe(err: unknown) {
  if (err instanceof ChannelError) {
    return { name: err.name, message: err.message, kind: err.kind, status: err.code, method: err.method }
  }
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack }
  return { message: String(err) }
}
