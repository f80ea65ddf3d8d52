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

/**
 * Encrypts a short secret (an invite code) for storage, under a key derived from a configured
 * secret (encryptSecret's format). `context` (e.g. the row it belongs to) is authenticated with
 * it, so a sealed value copied onto another row does not open.
 */
export async function seal(secret: string, purpose: string, plaintext: string, context: string): Promise<string> {
  return encryptSecret(await sealingKey(secret, purpose), plaintext, context)
}

/** The plaintext of `seal`, or null when the key, the context or the value does not match. */
export async function unseal(secret: string, purpose: string, sealed: string, context: string): Promise<string | null> {
  try {
    return await decryptSecret(await sealingKey(secret, purpose), sealed, context)
  } catch {
    return null
  }
}

/** Constant-time equality of two byte strings (only a length difference can be told apart). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export function base64url(bytes: ArrayBuffer | Uint8Array): string {
  let bin = ''
  for (const b of new Uint8Array(bytes)) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(bin, (c) => c.charCodeAt(0))
}

/** PKCE (RFC 7636, S256): a 43-character verifier and its challenge, base64url(SHA-256) without padding. */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)))
  const challenge = base64url(await crypto.subtle.digest('SHA-256', encoder.encode(verifier)))
  return { verifier, challenge }
}

const keyCache = new WeakMap<Uint8Array, Promise<CryptoKey>>()
function aesKey(raw: Uint8Array | CryptoKey): Promise<CryptoKey> {
  if (!(raw instanceof Uint8Array)) return Promise.resolve(raw)
  let key = keyCache.get(raw)
  if (!key) keyCache.set(raw, (key = crypto.subtle.importKey('raw', raw as BufferSource, 'AES-GCM', false, ['encrypt', 'decrypt'])))
  return key
}

/**
 * AES-256-GCM with a fresh 96-bit nonce: `v1.<nonce>.<ciphertext+tag>` in base64url. `context`
 * (e.g. "zalo_oa:refresh") is bound as associated data, so a stored value cannot be swapped for
 * another kind of secret.
 */
export async function encryptSecret(key: Uint8Array | CryptoKey, plain: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, await aesKey(key), encoder.encode(plain))
  return `v1.${base64url(iv)}.${base64url(sealed)}`
}

/** The inverse of encryptSecret; throws when the key, the context or the bytes are wrong. */
export async function decryptSecret(key: Uint8Array | CryptoKey, sealed: string, context: string): Promise<string> {
  const [version, iv, data] = sealed.split('.')
  if (version !== 'v1' || !iv || !data) throw new Error('not an encrypted secret')
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64url(iv) as BufferSource, additionalData: encoder.encode(context) },
    await aesKey(key),
    fromBase64url(data) as BufferSource,
  )
  return new TextDecoder().decode(plain)
}
