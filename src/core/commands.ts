import { normalize } from '../i18n.js'

export interface ParsedCommand {
  /** Canonical name from the command table, e.g. 'baocao'. */
  name: string
  /** Everything after the command words, as typed (diacritics kept). */
  args: string
  slashed: boolean
}

/**
 * Finds which command a message starts with. `/báo cáo`, `bao cao`, `Báo Cáo` and `/baocao@LoaBot`
 * all give 'baocao': the slash and @botname are dropped, diacritics folded, and up to three words
 * joined. Without a slash only a known name counts, so ordinary sentences are not commands.
 */
export function parseCommand(text: string, known: ReadonlySet<string>): ParsedCommand | null {
  const trimmed = text.trim()
  const slashed = trimmed.startsWith('/')
  const body = slashed ? trimmed.slice(1) : trimmed
  const words = body.split(/\s+/).filter(Boolean)
  if (words.length === 0) return null
  words[0] = words[0]!.replace(/@\w+$/, '')
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    const name = normalize(words.slice(0, n).join('')).replace(/[^a-z0-9]/g, '')
    if (known.has(name)) return { name, args: words.slice(n).join(' '), slashed }
  }
  if (slashed) {
    const name = normalize(words[0]!).replace(/[^a-z0-9]/g, '')
    return { name, args: words.slice(1).join(' '), slashed }
  }
  return null
}
