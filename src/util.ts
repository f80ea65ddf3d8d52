/**
 * D1 binds at most 100 parameters to one statement ("too many SQL variables" past that), far
 * fewer than SQLite's 32,766: a multi-row insert must carry at most this many values.
 */
export const MAX_BOUND_PARAMETERS = 100

/** How many rows of `columns` bound values one insert may carry on D1 and SQLite alike. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / columns))
}

/** Splits a list into slices of at most `size` items (bulk SQL statements stay under SQLite's variable limit). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * `text` without the trailing characters that `strip` accepts. A loop, not `/[…]+$/`: an unanchored
 * run-to-the-end pattern is retried from every position, which is quadratic on a long run that ends
 * in another character (4,000 dots and a letter).
 */
export function trimEndWhere(text: string, strip: (ch: string) => boolean): string {
  let end = text.length
  while (end > 0 && strip(text[end - 1]!)) end--
  return text.slice(0, end)
}
