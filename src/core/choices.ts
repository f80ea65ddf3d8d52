import { normalize } from '../i18n.js'
import type { Choice } from './events.js'

/**
 * Reads a typed answer against the choices last offered in the chat: "2", "b", "B.", or the
 * label itself with or without diacritics. This is the core's job, not the adapter's, so Zalo's
 * numbered text and Telegram's buttons end in the same choice id.
 */
export function matchChoice(text: string, choices: readonly Choice[]): Choice | undefined {
  const typed = normalize(text).replace(/[.)]$/, '').trim()
  if (!typed) return undefined
  // A number past the list may still be an option's text ("71" among "45 / 71 / 29").
  if (/^\d{1,2}$/.test(typed) && choices[Number(typed) - 1]) return choices[Number(typed) - 1]
  if (/^[a-z]$/.test(typed) && choices.length <= 26) {
    const byLetter = choices[typed.charCodeAt(0) - 97]
    // "a" is a letter answer only when no label is literally "a".
    if (byLetter && !choices.some((c) => normalize(c.label) === typed)) return byLetter
  }
  return (
    choices.find((c) => normalize(c.label) === typed) ??
    // "B. 90%" typed as "90%", or a label with its leading letter
    choices.find((c) => normalize(c.label).replace(/^[a-z0-9][.)]\s*/, '') === typed)
  )
}
