/** Web Crypto helpers that work the same on Node 20 and Workers. */
const encoder = new TextEncoder()

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * A checker for one configured webhook secret: a constant-time comparison of the bytes (only the
 * length can be told apart, as in grammY's compareSecretToken), with no hashing on the hot path.
 */
export function secretChecker(expected: string): (given: string | null | undefined) => Promise<boolean> {
  const want = encoder.encode(expected)
  return async (given) => {
    if (given == null) return false
    const got = encoder.encode(given)
    if (got.length !== want.length) return false
    let diff = 0
    for (let i = 0; i < want.length; i++) diff |= got[i]! ^ want[i]!
    return diff === 0
  }
}

/** Compares a secret with a stored hex SHA-256 of it, in constant time. */
export async function matchesHash(given: string | null | undefined, expectedHex: string): Promise<boolean> {
  const a = await sha256Hex(given ?? '')
  if (a.length !== expectedHex.length) return false
  let diff = given == null ? 1 : 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ expectedHex.charCodeAt(i)
  return diff === 0
}


/**
 * Random bytes taken from a pool refilled 4 KB at a time: one call into the system's generator
 * costs far more than the bytes (a page's form token for every new visitor). Each byte is used once.
 */
const pool = new Uint8Array(4096)
let poolAt = pool.length
function randomByte(): number {
  if (poolAt === pool.length) {
    crypto.getRandomValues(pool)
    poolAt = 0
  }
  const b = pool[poolAt]!
  pool[poolAt++] = 0
  return b
}

/** Random characters from `alphabet`, with no modulo bias. */
export function randomString(length: number, alphabet: string): string {
  let out = ''
  const limit = 256 - (256 % alphabet.length)
  while (out.length < length) {
    const b = randomByte()
    if (b < limit) out += alphabet[b % alphabet.length]!
  }
  return out
}
