import { ChannelError, describeNetworkFailure, type ChannelErrorKind } from '../../core/channel.js'
import type { ChannelName } from '../../core/events.js'

/** One JSON call to a platform API, named by its method in every error it raises. */
interface JsonCall {
  channel: ChannelName
  /** The platform method, the only part of the call an error may name (URLs and headers hold tokens). */
  method: string
  url: string
  init: RequestInit
  timeoutMs: number
  fetch: typeof fetch
}

/** How a channel reads an HTTP status that came without a JSON body. */
type HttpKindOf = (code: number) => ChannelErrorKind

/**
 * Sends the call and reads its body as JSON. A network failure or timeout is a transient
 * ChannelError naming only the method; a body that is not JSON (a proxy's HTML 429 page) is
 * reported by `notJsonError` with the channel's own reading of the status.
 */
export async function callJson(call: JsonCall, kindOf: HttpKindOf): Promise<{ res: Response; json: unknown }> {
  // Called as a plain function: Workers' fetch throws "Illegal invocation" when called as a method.
  const doFetch = call.fetch
  let res: Response
  try {
    res = await doFetch(call.url, { ...call.init, signal: AbortSignal.timeout(call.timeoutMs) })
  } catch (err) {
    // The URL may hold the token: report only the method and the kind of failure.
    const name = (err as Error).name
    const what = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${call.timeoutMs / 1000} s` : describeNetworkFailure(err)
    throw new ChannelError(call.channel, call.method, 'transient', undefined, what)
  }
  const text = await res.text()
  try {
    return { res, json: JSON.parse(text) }
  } catch {
    throw notJsonError(call.channel, call.method, res, kindOf)
  }
}

/** The answer was not the platform's JSON: a 2xx counts as a bad gateway (502). */
export function notJsonError(channel: ChannelName, method: string, res: Response, kindOf: HttpKindOf): ChannelError {
  const code = res.ok ? 502 : res.status
  return new ChannelError(channel, method, kindOf(code), code, `HTTP ${res.status}, not JSON`)
}
