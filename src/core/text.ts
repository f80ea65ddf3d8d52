/**
 * Splits text into parts of at most `max` UTF-16 units, preferring paragraph, then line, then word
 * boundaries, so a long brief arrives as several readable messages instead of failing.
 */
export function splitText(text: string, max: number): string[] {
  const normalized = text.normalize('NFC').trim()
  if (normalized.length <= max) return normalized ? [normalized] : []
  const parts: string[] = []
  let rest = normalized
  while (rest.length > max) {
    const window = rest.slice(0, max + 1)
    let cut = window.lastIndexOf('\n\n')
    if (cut < max / 2) cut = window.lastIndexOf('\n')
    if (cut < max / 2) cut = window.lastIndexOf(' ')
    if (cut < max / 2) cut = max
    // Never cut a surrogate pair in half.
    if (cut > 0 && /[\uD800-\uDBFF]/.test(rest[cut - 1]!)) cut -= 1
    parts.push(rest.slice(0, cut).trimEnd())
    rest = rest.slice(cut).trimStart()
  }
  if (rest) parts.push(rest)
  return parts
}

/** Longest text one message may carry on each platform, in UTF-16 units (Telegram 4096; Zalo 1–2000, unit unstated). */
export const TELEGRAM_MAX_TEXT = 4096
export const ZALO_MAX_TEXT = 2000

/**
 * A message as text alone, for a platform without buttons (Zalo): its choices become numbered lines
 * under the text; the core matches "1", "a" or the label typed back (core/choices.ts).
 */
export function numberedChoicesText(message: { text: string; choices?: readonly { label: string }[]; choicesInText?: boolean }): string {
  if (!message.choices?.length || message.choicesInText) return message.text
  const lines = message.choices.map((c, i) => `${i + 1}. ${c.label}`)
  return `${message.text}\n\n${lines.join('\n')}`
}
