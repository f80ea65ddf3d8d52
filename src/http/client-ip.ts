import type { Context, MiddlewareHandler } from 'hono'
import type { Config } from '../config.js'
import { inNetworks, toBinary, type Network } from '../trust-proxy.js'
import { appContext, type AppEnv, type RequestTrust } from './env.js'

/** Hands every request the proxy settings, for clientIp and isSecureRequest (first middleware of the app). */
export function requestTrust(config: Pick<Config, 'trustProxy' | 'publicUrl'>): MiddlewareHandler<AppEnv> {
  const settings: RequestTrust = { trust: config.trustProxy, publicUrl: config.publicUrl }
  return (c, next) => {
    c.set('requestTrust', settings)
    return next()
  }
}

function settingsOf(c: Context): RequestTrust {
  return appContext(c).get('requestTrust') ?? { trust: null, publicUrl: undefined }
}

/** The socket's address on Node; undefined on Workers (and in a test's `app.request`), which have none. */
function socketAddress(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming ? (incoming.socket?.remoteAddress ?? '') : undefined
}

/** Did this request reach the server through a proxy TRUST_PROXY names (the socket is one of them)? */
function viaTrustedProxy(c: Context, socket: string): boolean {
  const { trust } = settingsOf(c)
  return trust === 'cloudflare' || (Array.isArray(trust) && inNetworks(socket, trust))
}

/**
 * The address a request came from, the one the sign-in limits, the phone pages' limits, the audit
 * log and the console sessions use. The socket's, unless TRUST_PROXY names the proxy it came
 * through: then the rightmost X-Forwarded-For hop that is not a trusted proxy (or CF-Connecting-IP
 * for `cloudflare`). On Workers there is no socket: Cloudflare sets CF-Connecting-IP itself.
 */
export function clientIp(c: Context): string | null {
  const socket = socketAddress(c)
  if (socket === undefined) return c.req.header('cf-connecting-ip')?.trim() || null
  if (!socket || !viaTrustedProxy(c, socket)) return socket || null
  const { trust } = settingsOf(c)
  if (trust === 'cloudflare') return validAddress(c.req.header('cf-connecting-ip')) ?? socket
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean)
  let address = socket
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = validAddress(hops[i])
    // What a trusted proxy passed on as the address is not one: the last address we can vouch for.
    if (!hop) return address
    address = hop
    if (!inNetworks(hop, trust as readonly Network[])) return hop
  }
  return address
}

function validAddress(text: string | undefined): string | null {
  const value = text?.trim()
  return value && toBinary(value) ? value : null
}

/**
 * Did the browser reach the server over https? Always when PUBLIC_URL is set (it must be https);
 * else the request's own scheme, or a trusted proxy's X-Forwarded-Proto. Cookies are `Secure` then.
 */
export function isSecureRequest(c: Context): boolean {
  if (settingsOf(c).publicUrl?.startsWith('https:')) return true
  if (new URL(c.req.url).protocol === 'https:') return true
  const socket = socketAddress(c)
  if (!socket || !viaTrustedProxy(c, socket)) return false
  return forwardedProto(c) === 'https'
}

function forwardedProto(c: Context): string | undefined {
  return c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase()
}

/**
 * The origins a form of this site is posted from: the request's own, PUBLIC_URL's, and, behind a
 * trusted proxy that says the browser used https, the https origin of the Host it asked for.
 */
export function siteOrigins(c: Context): string[] {
  const url = new URL(c.req.url)
  const origins = [url.origin]
  const { publicUrl } = settingsOf(c)
  if (publicUrl) origins.push(new URL(publicUrl).origin)
  const socket = socketAddress(c)
  if (socket && viaTrustedProxy(c, socket) && forwardedProto(c) === 'https') origins.push(`https://${url.host}`)
  return origins
}
