import type { Db } from './types.js'

/**
 * A query compiled once per database and reused: drizzle builds SQL anew on every call, which on the
 * chat path cost more than running the query. `build` must use `sql.placeholder` for its values.
 */
export function prepared<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>()
  return (db) => {
    let query = cache.get(db)
    if (!query) {
      query = build(db)
      cache.set(db, query)
    }
    return query
  }
}
