/** An error that says itself what of it is safe to log (ChannelError, src/core/channel.ts). */
interface SelfDescribing {
  logDetails(): Record<string, unknown>
}
const selfDescribing = (err: unknown): err is SelfDescribing => typeof (err as Partial<SelfDescribing> | null)?.logDetails === 'function'

/** Error details safe to log: no URLs (they may hold a bot token), no request bodies. */
export function errorDetails(err: unknown) {
  if (selfDescribing(err)) return err.logDetails()
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack }
  return { message: String(err) }
}
