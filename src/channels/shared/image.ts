import type { FetchedImage } from '../../core/events.js'
import { sniffImage } from '../../core/image-type.js'

/**
 * Downloading an image a person sent, on both runtimes (fetch and streams only). The image's URL
 * comes from a webhook body, so it is checked before it is fetched (SSRF): https only, never a
 * private, loopback or link-local address, at most a few redirects, each checked the same way;
 * unless its host is one the operator allowed (MEDIA_FETCH_ALLOW_HOSTS: the tests' local servers).
 * The bytes are read as a stream and counted: past `maxBytes` the download stops and nothing is
 * kept. The type is read from the first bytes, never from Content-Type.
 *
 * A host name is looked up where the runtime can (Node) and refused when any of its addresses is
 * private; on Workers, which have no DNS lookup, only address literals and local names are refused.
 */
export interface ImageFetchOptions {
  maxBytes: number
  fetch?: typeof fetch
  /** host or host:port (lower case) that may be fetched over http and on a private address. */
  allowHosts?: readonly string[]
  /** The whole download, headers and body (default 5 s). */
  timeoutMs?: number
  /** Skip the address checks: a URL the operator configured (Telegram's API root), not one from a webhook. */
  trusted?: boolean
  /**
   * The addresses a host name has (Node: a DNS lookup, src/node/resolve-host.ts): a name with any
   * private address is refused too. Absent on Workers, which cannot look names up.
   */
  resolveHost?: (hostname: string) => Promise<readonly string[]>
}

const MAX_REDIRECTS = 3

/**
 * The image at `url`, or null: refused address, not found, larger than `maxBytes`, not an image, or no
 * answer within the timeout. Never throws for what the URL or the server did.
 */
export async function fetchImageUrl(url: string, options: ImageFetchOptions): Promise<FetchedImage | null> {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
  // One controller for the timeout and for a refusal: aborting drops the connection, where
  // cancelling the body alone can leave it open with the server still sending.
  const controller = new AbortController()
  const signal = controller.signal
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 5000)
  try {
    let current = url
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!options.trusted && !(await addressAllowed(current, options))) return null
      const res = await doFetch(current, { method: 'GET', redirect: 'manual', signal })
      if (res.status >= 300 && res.status < 400) {
        const location = res.headers.get('location')
        await res.body?.cancel()
        if (!location) return null
        current = new URL(location, current).toString()
        continue
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel()
        return null
      }
      const announced = Number(res.headers.get('content-length') ?? '')
      // Refused by what the server says, or past the limit while reading: the connection is dropped (abort).
      if (Number.isFinite(announced) && announced > options.maxBytes) return null
      const bytes = await readAtMost(res.body, options.maxBytes, () => controller.abort())
      if (!bytes) return null
      const mime = sniffImage(bytes)
      return mime ? { bytes, mime } : null
    }
    return null
  } catch {
    // A refused connection, a timeout, a malformed Location: the image cannot be had.
    return null
  } finally {
    clearTimeout(timer)
    controller.abort()
  }
}

/** The whole stream, or null (the connection dropped, the stream cancelled) as soon as it passes `max` bytes. */
export async function readAtMost(body: ReadableStream<Uint8Array>, max: number, drop?: () => void): Promise<Uint8Array | null> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > max) {
      drop?.()
      await reader.cancel().catch(() => {})
      return null
    }
    chunks.push(value)
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

/** urlAllowed, and a host name none of whose addresses is private (when names can be looked up). */
async function addressAllowed(raw: string, options: ImageFetchOptions): Promise<boolean> {
  const allowHosts = options.allowHosts ?? []
  if (!urlAllowed(raw, allowHosts)) return false
  const url = new URL(raw)
  const host = url.hostname.toLowerCase()
  if (!options.resolveHost || allowHosts.includes(url.host.toLowerCase()) || allowHosts.includes(host)) return true
  if (/^[0-9.]+$/.test(host) || host.startsWith('[')) return true // an address, judged above
  const addresses = await options.resolveHost(host)
  return addresses.length > 0 && addresses.every((a) => !isPrivateHost(a.includes(':') ? `[${a}]` : a))
}

/** Whether an image URL from a webhook may be fetched: https to a public address, or a host the operator allowed. */
export function urlAllowed(raw: string, allowHosts: readonly string[]): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.username || url.password) return false
  const host = url.hostname.toLowerCase()
  if (allowHosts.includes(url.host.toLowerCase()) || allowHosts.includes(host)) return url.protocol === 'https:' || url.protocol === 'http:'
  if (url.protocol !== 'https:') return false
  return !isPrivateHost(host)
}

/** Loopback, private, link-local, unspecified, CGNAT and local names, as IPv4, IPv6 or a name. */
export function isPrivateHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal') || (!h.includes('.') && !h.includes(':'))) return true
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h)
  if (v4) return privateV4(Number(v4[1]), Number(v4[2]))
  // Anything else that looks numeric (decimal, hex or octal forms WHATWG URL did not fold) is refused.
  if (/^[0-9.]+$/.test(h) || /^0x/i.test(h)) return true
  if (h.includes(':')) return privateV6(h)
  return false
}

function privateV4(a: number, b: number): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  )
}

function privateV6(h: string): boolean {
  if (h === '::' || h === '::1') return true
  // IPv4-mapped (::ffff:127.0.0.1, which URL writes in hex as ::ffff:7f00:1): judged by its IPv4 address.
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(h)
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16)
    return privateV4(hi >> 8, hi & 0xff)
  }
  if (h.startsWith('::ffff:')) return true
  const first = parseInt(h.split(':')[0] || '0', 16)
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00 || first === 0
}
