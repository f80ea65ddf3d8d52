import { normalize } from '../../i18n.js'

/** The four answers of a status report, in the order they are asked. */
export const reportFields = ['activities', 'digitalProducts', 'briefedPercent', 'difficulties'] as const
export type ReportField = (typeof reportFields)[number]
export type ReportDraft = Partial<{ activities: number; digitalProducts: number; briefedPercent: number; difficulties: string }>

export const MAX_COUNT = 100_000
export const MAX_TEXT = 1000

/**
 * A whole number, optionally followed by words ("5", "5 hoạt động"). "5.5", "5,5", "-1" and numbers
 * in words are refused: the report counts things.
 */
export function readCount(text: string): number | null {
  // Trimmed first, and one \s before the words: each character can be matched one way only, so the
  // match is linear ("1", 4,000 spaces, "1" took 7.9 s with `\s+[^\d.,]*\s*`, which all match spaces).
  const m = /^(\d{1,6})(?:\s[^\d.,]*)?$/u.exec(text.normalize('NFC').trim())
  if (!m) return null
  const n = Number(m[1])
  return n <= MAX_COUNT ? n : null
}

/** A whole percentage 0–100, written "95", "95%" or "95 %". */
export function readPercent(text: string): number | null {
  const m = /^(\d{1,3})\s*%?$/.exec(text.trim())
  if (!m) return null
  const n = Number(m[1])
  return n <= 100 ? n : null
}

/** Free text; "không" (nothing to report) is a fine answer. */
export function readText(text: string): string | null {
  const t = text.normalize('NFC').trim()
  return t && t.length <= MAX_TEXT ? t : null
}

export function readField(field: ReportField, text: string): number | string | null {
  if (field === 'briefedPercent') return readPercent(text)
  if (field === 'difficulties') return readText(text)
  return readCount(text)
}

const keyAliases: Record<string, ReportField> = {
  hd: 'activities',
  hoatdong: 'activities',
  act: 'activities',
  sp: 'digitalProducts',
  sanpham: 'digitalProducts',
  prod: 'digitalProducts',
  pb: 'briefedPercent',
  phobien: 'briefedPercent',
  brief: 'briefedPercent',
  kk: 'difficulties',
  khokhan: 'difficulties',
  diff: 'difficulties',
}

export interface QuickParse {
  draft: ReportDraft
  /** Parts that could not be read, as typed, and the field when the key was recognised. */
  unreadable: { part: string; field?: ReportField }[]
}

/**
 * Reads the one-message form `hd 5, sp 3, pb 95%, kk không`. Parts are split on commas and
 * semicolons, except that `kk` takes the rest of the message, so difficulties may contain commas.
 */
export function parseQuickReport(args: string): QuickParse {
  const draft: ReportDraft = {}
  const unreadable: QuickParse['unreadable'] = []
  let rest = args.normalize('NFC').trim()
  while (rest) {
    const m = /^([^\s,;:=\d]+)\s*[:=]?\s*/u.exec(rest)
    const key = m ? normalize(m[1]!).replace(/[^a-z]/g, '') : ''
    const field = keyAliases[key]
    if (field === 'difficulties') {
      const value = readText(rest.slice(m![0].length))
      if (value === null) unreadable.push({ part: rest, field })
      else draft.difficulties = value
      break
    }
    const cut = rest.search(/[,;]/)
    const part = (cut < 0 ? rest : rest.slice(0, cut)).trim()
    rest = cut < 0 ? '' : rest.slice(cut + 1).trim()
    if (!part) continue
    if (!field || !m) {
      unreadable.push({ part })
      continue
    }
    const value = readField(field, part.slice(m[0].length))
    if (value === null) unreadable.push({ part, field })
    else (draft as Record<string, unknown>)[field] = value
  }
  return { draft, unreadable }
}

export function missingFields(draft: ReportDraft): ReportField[] {
  return reportFields.filter((f) => draft[f] === undefined)
}
