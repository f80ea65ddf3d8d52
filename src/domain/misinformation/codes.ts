/**
 * Case codes told to a reporter (`TS-7KQ2`): "TS-" and four characters from an alphabet without
 * 0/O, 1/I (and L, U, to avoid misreading), so they can be read out and typed back on a phone.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE_LENGTH = 4

/** Matches a case code in typed text, any case ("ts-7kq2", "TS 7KQ2", "ts7kq2"). */
export const CASE_CODE_RE = new RegExp(`\\bTS[-\\s]?([${CODE_ALPHABET}]{${CODE_LENGTH}})\\b`, 'i')

/** A fresh random code (the caller retries on the rare collision with the unique index). */
export function newCaseCode(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const bytes = random(CODE_LENGTH)
  let s = ''
  for (const b of bytes) s += CODE_ALPHABET[b % CODE_ALPHABET.length]
  return `TS-${s}`
}

/** The code in a message, normalised ("ts 7kq2" → "TS-7KQ2"); null when the text holds none. */
export function parseCaseCode(text: string): string | null {
  const m = CASE_CODE_RE.exec(text.toUpperCase())
  return m ? `TS-${m[1]!.toUpperCase()}` : null
}
