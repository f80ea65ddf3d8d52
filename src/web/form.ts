/**
 * Dates as people in Vietnam type them: dd/mm/yyyy, and dd/mm/yyyy HH:mm (24-hour), read
 * strictly (a day that does not exist is refused, not rolled over).
 */
export function parseDay(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text)
  if (!m) return null
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null
  return `${m[3]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** dd/mm/yyyy HH:mm → { day: yyyy-mm-dd, time: HH:mm:00 }, or null. */
export function parseDayTime(text: string): { day: string; time: string } | null {
  const m = /^\s*(\S+)\s+(\d{1,2}):(\d{2})\s*$/.exec(text)
  if (!m) return null
  const day = parseDay(m[1]!)
  const [h, min] = [Number(m[2]), Number(m[3])]
  if (!day || h > 23 || min > 59) return null
  return { day, time: `${String(h).padStart(2, '0')}:${m[3]}:00` }
}

/** yyyy-mm-dd → dd/mm/yyyy, for a form's default value. */
export function showDay(day: string): string {
  const [y, m, d] = day.split('-')
  return `${d}/${m}/${y}`
}

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
