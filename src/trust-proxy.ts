import { convertIPv4ToBinary, convertIPv6ToBinary, distinctRemoteAddr } from 'hono/utils/ipaddr'

/**
 * TRUST_PROXY, read by the config and used by src/http/client-ip.ts: which proxies' word is taken
 * for the client's address and scheme. Parsing it belongs with the config (the kernel), so it lives
 * here rather than in the HTTP layer.
 */

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
export function toBinary(address: string): { version: 4 | 6; value: bigint } | null {
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

export function inNetworks(address: string, networks: readonly Network[]): boolean {
  const ip = toBinary(address)
  if (!ip) return false
  return networks.some((n) => {
    if (n.version !== ip.version) return false
    const shift = BigInt((n.version === 4 ? 32 : 128) - n.bits)
    return (ip.value >> shift) << shift === n.base
  })
}
