/** A form field as a trimmed string ('' when absent or a file). */
export function field(form: Record<string, unknown>, name: string): string {
  const v = form[name]
  return typeof v === 'string' ? v.trim() : ''
}

/** A repeated form field (checkboxes) as strings. */
export function fields(form: Record<string, unknown>, name: string): string[] {
  const v = form[name] ?? form[`${name}[]`]
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')
}

/**
 * A whole number from a query string, within [min, max]: anything else (absent, text, 1.5e400,
 * 99999999999999999999) becomes the nearest allowed value, so no page binds Infinity or a number
 * past SQLite's integers into its query.
 */
export function queryInt(value: string | undefined, min: number, max: number): number {
  const n = Math.floor(Number(value))
  if (Number.isNaN(n)) return min
  return Math.min(max, Math.max(min, n))
}

/** Past any list's length: the last page offset or number a list page accepts. */
export const MAX_QUERY_OFFSET = 1_000_000_000
