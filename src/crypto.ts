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


/** Random characters from `alphabet`, with no modulo bias. */
export function randomString(length: number, alphabet: string): string {
  const out: string[] = []
  const limit = 256 - (256 % alphabet.length)
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2))
    for (const b of bytes) {
      if (b < limit && out.length < length) out.push(alphabet[b % alphabet.length]!)
    }
  }
  return out.join('')
}

const sealingKeys = new Map<string, Promise<CryptoKey>>()

/**
 * An AES-256-GCM key derived from a configured secret with HKDF-SHA-256. The `purpose` separates
 * keys made from one secret, so a key for one kind of token never opens another's.
 */
function sealingKey(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\u0000${secret}`
  let key = sealingKeys.get(id)
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('loa/sealing/v1'), info: encoder.encode(purpose) },
          base,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      )
    sealingKeys.set(id, key)
  }
  return key
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

/**
 * Encrypts a short secret (an invite code) for storage: "v1.<iv>.<ciphertext+tag>" in base64, a
 * fresh 96-bit IV each time. `context` (e.g. the row it belongs to) is authenticated with it, so a
 * sealed value copied onto another row does not open.
 */
export async function seal(secret: string, purpose: string, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const key = await sealingKey(secret, purpose)
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key, encoder.encode(plaintext))
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(ct))}`
}

/** The plaintext of `seal`, or null when the key, the context or the value does not match. */
export async function unseal(secret: string, purpose: string, sealed: string, context: string): Promise<string | null> {
  const [version, iv, ct] = sealed.split('.')
  if (version !== 'v1' || !iv || !ct) return null
  try {
    const key = await sealingKey(secret, purpose)
    const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv), additionalData: encoder.encode(context) }, key, fromBase64(ct))
    return new TextDecoder().decode(pt)
  } catch {
    return null
  }
}
