import { sql, type SQL } from 'drizzle-orm'
import journal from './migrations/meta/_journal.json' with { type: 'json' }
import { rawStatement, type Statement } from './atomic.js'
import type { Db } from './types.js'

/**
 * The database's own description of itself, for a dump that works on both drivers (better-sqlite3
 * and D1): its ordinary tables in foreign-key order, its virtual tables and their shadow tables,
 * and the migration it was last brought to. Generic: nothing here names one of Loa's tables.
 */

/** A virtual table: its module, and for FTS5 where its text lives (`content=` option). */
export interface VirtualTable {
  name: string
  module: string
  columns: string[]
  /** FTS5: the text is its own (stored in `<name>_content`), in another table (`content=t`), or nowhere (`content=''`). */
  content: 'own' | 'external' | 'none' | 'other'
}

export interface OrdinaryTable {
  name: string
  columns: string[]
  /** A rowid table is read in rowid ranges; a WITHOUT ROWID table in primary-key order. */
  rowid: boolean
  primaryKey: string[]
  /** Tables its foreign keys point to. */
  parents: string[]
}

export interface Catalog {
  /** Parents before children (a table after every table it references); a circle falls back to name order. */
  tables: OrdinaryTable[]
  virtual: VirtualTable[]
  /** Shadow tables of the virtual ones (`<vt>_data`, `_idx`, `_content`, `_docsize`, `_config`, …): never copied. */
  shadow: string[]
}

/** Shadow-table suffixes of FTS5, FTS3/4 and R*Tree. */
const SHADOW_SUFFIXES = ['data', 'idx', 'content', 'docsize', 'config', 'segments', 'segdir', 'stat', 'node', 'rowid', 'parent']

/** Tables that belong to SQLite, D1 or the migrators, never to the data. */
export function isInternalTable(name: string): boolean {
  return /^sqlite_/i.test(name) || /^_cf_/i.test(name) || name === 'd1_migrations' || name === '__drizzle_migrations'
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

/** The module and the FTS5 content option of a `create virtual table … using module(args)` statement. */
export function parseVirtual(createSql: string): { module: string; content: VirtualTable['content'] } {
  const m = /\busing\s+([a-z0-9_]+)\s*(?:\(([\s\S]*)\))?/i.exec(createSql)
  const module = (m?.[1] ?? '').toLowerCase()
  if (module !== 'fts5') return { module, content: 'other' }
  const option = /(?:^|,)\s*content\s*=\s*(?:'((?:[^']|'')*)'|"((?:[^"]|"")*)"|([^\s,)]+))/i.exec(m?.[2] ?? '')
  if (!option) return { module, content: 'own' }
  const value = option[1] ?? option[2] ?? option[3] ?? ''
  return { module, content: value === '' ? 'none' : 'external' }
}

/** Orders tables so that each comes after the tables it references (Kahn's algorithm; a circle is broken by name order). */
function parentsFirst(tables: OrdinaryTable[]): OrdinaryTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]))
  const done = new Set<string>()
  const ordered: OrdinaryTable[] = []
  const sorted = [...tables].sort((a, b) => a.name.localeCompare(b.name))
  while (ordered.length < tables.length) {
    const ready = sorted.find((t) => !done.has(t.name) && t.parents.every((p) => p === t.name || done.has(p) || !byName.has(p)))
    const next = ready ?? sorted.find((t) => !done.has(t.name))!
    done.add(next.name)
    ordered.push(next)
  }
  return ordered
}

/** Reads sqlite_master and each table's columns and foreign keys. */
export async function readCatalog(db: Db): Promise<Catalog> {
  const master = await db.all<{ name: string; sql: string | null }>(sql`select name, sql from sqlite_master where type = 'table' order by name`)
  const virtual: VirtualTable[] = []
  for (const row of master) {
    if (!row.sql || !/^\s*create\s+virtual\s+table/i.test(row.sql)) continue
    const columns = (await db.all<{ name: string }>(sql.raw(`pragma table_info(${quote(row.name)})`))).map((c) => c.name)
    virtual.push({ name: row.name, columns, ...parseVirtual(row.sql) })
  }
  const shadow = master
    .map((row) => row.name)
    .filter((name) => virtual.some((v) => SHADOW_SUFFIXES.some((suffix) => name === `${v.name}_${suffix}`)))
  const tables: OrdinaryTable[] = []
  for (const row of master) {
    if (isInternalTable(row.name) || shadow.includes(row.name) || virtual.some((v) => v.name === row.name)) continue
    const info = await db.all<{ name: string; pk: number }>(sql.raw(`pragma table_info(${quote(row.name)})`))
    const fks = await db.all<{ table: string }>(sql.raw(`pragma foreign_key_list(${quote(row.name)})`))
    tables.push({
      name: row.name,
      columns: info.map((c) => c.name),
      rowid: !/\)\s*without\s+rowid\s*;?\s*$/i.test(row.sql ?? ''),
      primaryKey: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      parents: [...new Set(fks.map((f) => f.table))],
    })
  }
  return { tables: parentsFirst(tables), virtual, shadow }
}

/**
 * The migration the database was last brought to, by its tag (`0024_report_period_criteria`), the
 * same on both runtimes: drizzle's migrator (Node) keeps each migration's journal time, wrangler's
 * (D1) its file name. Null when neither table says.
 */
export async function schemaVersion(db: Db): Promise<string | null> {
  const names = (await db.all<{ name: string }>(sql`select name from sqlite_master where type = 'table' and name in ('d1_migrations', '__drizzle_migrations')`)).map((r) => r.name)
  if (names.includes('d1_migrations')) {
    const [last] = await db.all<{ name: string }>(sql`select name from d1_migrations order by id desc limit 1`)
    if (last) return last.name.replace(/\.sql$/, '')
  }
  if (names.includes('__drizzle_migrations')) {
    const [last] = await db.all<{ at: number }>(sql`select max(created_at) as at from __drizzle_migrations`)
    const entry = journal.entries.find((e) => e.when === Number(last?.at))
    if (entry) return entry.tag
  }
  return null
}

/** A row as the driver gave it, or a primitive the restore binds. */
export type Cell = string | number | null

/**
 * One chunk of a table's rows, in a stable order: after rowid `after` (rowid tables), or at
 * `offset` in primary-key order (WITHOUT ROWID). Each row's cells in `table.columns` order, and
 * the key to continue from.
 */
export async function readChunk(db: Db, table: OrdinaryTable, from: number, limit: number): Promise<{ rows: Cell[][]; next: number }> {
  const cols = table.columns.map(quote).join(', ')
  const name = quote(table.name)
  const n = Math.trunc(limit)
  if (table.rowid) {
    const rows = await db.all<Record<string, Cell>>(sql.raw(`select rowid as "__loa_rowid", ${cols} from ${name} where rowid > ${Math.trunc(from)} order by rowid limit ${n}`))
    return { rows: rows.map((r) => table.columns.map((c) => r[c] ?? null)), next: rows.length ? Number(rows.at(-1)!.__loa_rowid) : from }
  }
  const order = (table.primaryKey.length ? table.primaryKey : table.columns).map(quote).join(', ')
  const rows = await db.all<Record<string, Cell>>(sql.raw(`select ${cols} from ${name} order by ${order} limit ${n} offset ${Math.trunc(from)}`))
  return { rows: rows.map((r) => table.columns.map((c) => r[c] ?? null)), next: from + rows.length }
}

/** Every row of a virtual table's declared columns, with its rowid first (an FTS5 table keeping its own text). */
export async function readVirtualRows(db: Db, table: VirtualTable, after: number, limit: number): Promise<{ rows: Cell[][]; next: number }> {
  const cols = table.columns.map(quote).join(', ')
  const rows = await db.all<Record<string, Cell>>(
    sql.raw(`select rowid as "__loa_rowid", ${cols} from ${quote(table.name)} where rowid > ${Math.trunc(after)} order by rowid limit ${Math.trunc(limit)}`),
  )
  return { rows: rows.map((r) => [r.__loa_rowid ?? null, ...table.columns.map((c) => r[c] ?? null)]), next: rows.length ? Number(rows.at(-1)!.__loa_rowid) : after }
}

/** D1 binds at most 100 values a statement. */
export const MAX_BOUND_VALUES = 100

/** D1 (a batch is its own transaction) rather than better-sqlite3: the test `atomic` makes. */
const isD1 = (db: Db) => typeof (db as unknown as { $client?: { batch?: unknown } }).$client?.batch === 'function'

/**
 * Insert statements for rows of `columns`, each with at most MAX_BOUND_VALUES bound values. On D1
 * the first statement defers foreign keys to the end of the batch (its own transaction), so rows
 * of one batch may refer to each other, and a row referring to nothing fails that batch. On
 * SQLite they stay checked per statement: deferred, a violation would surface only when the
 * event-loop turn's group commit ends, failing everything written in that turn.
 */
export function insertStatements(db: Db, table: string, columns: string[], rows: Cell[][]): Statement[] {
  const perStatement = Math.max(1, Math.floor(MAX_BOUND_VALUES / Math.max(1, columns.length)))
  const head = sql.raw(`insert into ${quote(table)} (${columns.map(quote).join(', ')}) values `)
  const statements: Statement[] = isD1(db) ? [rawStatement(db, sql`pragma defer_foreign_keys = on`)] : []
  for (let i = 0; i < rows.length; i += perStatement) {
    const values: SQL[] = rows.slice(i, i + perStatement).map((row) => sql`(${sql.join(row.map((v) => sql`${v}`), sql`, `)})`)
    statements.push(rawStatement(db, sql`${head}${sql.join(values, sql`, `)}`))
  }
  return statements
}

/** Empties tables, children first (the reverse of the catalog's order). */
export function clearStatements(db: Db, tables: string[]): Statement[] {
  return [...tables].reverse().map((name) => rawStatement(db, sql.raw(`delete from ${quote(name)}`)))
}

/** FTS5's rebuild: the index made again from the table's text (its own, or its content table's). */
export async function rebuildFts(db: Db, name: string): Promise<void> {
  await db.run(sql.raw(`insert into ${quote(name)}(${quote(name)}) values ('rebuild')`))
}
