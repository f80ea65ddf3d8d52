import type { Context, MiddlewareHandler } from 'hono'
import { convertIPv4ToBinary, convertIPv6ToBinary, distinctRemoteAddr } from 'hono/utils/ipaddr'
import type { Config } from '../config.js'
import { appContext, type AppEnv, type RequestTrust } from './env.js'

/** One network of TRUST_PROXY: an IPv4 or IPv6 address and the length of its prefix. */
export interface Network {
  version: 4 | 6
  base: bigint
  bits: number
}

/**
 * Whom the server believes about the client's address and scheme: nobody (the socket's address,
 * Node's default), Cloudflare (CF-Connecting-IP; implied on Workers, where there is no socket), or
 * the proxies of these networks (the rightmost X-Forwarded-For hop that is not one of them).
 */
export type TrustProxy = 'cloudflare' | readonly Network[] | null

/** An address as a number and its version; null when it is not an IPv4 or IPv6 address. */
function toBinary(address: string): { version: 4 | 6; value: bigint } | null {
  const text = address.trim()
  try {
    const kind = distinctRemoteAddr(text)
    if (kind === 'IPv4') return { version: 4, value: convertIPv4ToBinary(text) }
    if (kind !== 'IPv6' || /[^0-9a-fA-F:.]/.test(text)) return null
    const value = convertIPv6ToBinary(text)
    // An IPv4 address as a dual-stack socket reports it (::ffff:10.0.0.1) is that IPv4 address.
    return value >> 32n === 0xffffn ? { version: 4, value: value & 0xffffffffn } : { version: 6, value }
  } catch {
    return null
  }
}

/** Parses one entry of TRUST_PROXY ("10.0.0.1", "10.0.0.0/8", "fd00::/8"); null when it is not one. */
export function parseNetwork(entry: string): Network | null {
  const [address, prefix, ...rest] = entry.trim().split('/')
  const ip = toBinary(address ?? '')
  if (!ip || rest.length > 0) return null
  const max = ip.version === 4 ? 32 : 128
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return null
  const bits = prefix === undefined ? max : Number(prefix)
  if (bits > max) return null
  const shift = BigInt(max - bits)
  return { version: ip.version, base: (ip.value >> shift) << shift, bits }
}

/** Parses TRUST_PROXY: "cloudflare", or a comma-separated list of addresses and networks; the entries it could not read. */
export function parseTrustProxy(text: string | undefined): { trust: TrustProxy; invalid: string[] } {
  const value = text?.trim()
  if (!value) return { trust: null, invalid: [] }
  if (value.toLowerCase() === 'cloudflare') return { trust: 'cloudflare', invalid: [] }
  const entries = value.split(',').map((e) => e.trim())
  const networks = entries.map(parseNetwork)
  return { trust: networks.filter((n): n is Network => n !== null), invalid: entries.filter((_, i) => networks[i] === null) }
}

function inNetworks(address: string, networks: readonly Network[]): boolean {
  const ip = toBinary(address)
  if (!ip) return false
  return networks.some((n) => {
    if (n.version !== ip.version) return false
    const shift = BigInt((n.version === 4 ? 32 : 128) - n.bits)
    return (ip.value >> shift) << shift === n.base
  })
}

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
