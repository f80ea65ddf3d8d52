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
