/** Splits a list into slices of at most `size` items (bulk SQL statements stay under SQLite's variable limit). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
