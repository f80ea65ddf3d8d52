import { eq, sql } from 'drizzle-orm'
import { atomic } from '#db/atomic.js'
import {
  clearStatements,
  insertStatements,
  readCatalog,
  readChunk,
  readVirtualRows,
  rebuildFts,
  schemaVersion,
  type Catalog,
  type Cell,
  type VirtualTable,
} from '#db/dump.js'
import { settings } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '../errors.js'
import { buildReachRollup } from './reach-rollup.js'

/**
 * The app's own backup, the same on Node and on Workers (where `wrangler d1 export` refuses a
 * database holding a virtual table, such as an FTS5 index): JSON lines.
 *
 *   {"format":"loa-backup","formatVersion":1,"schema":"0024_…","exportedAt":"…","tables":{"units":["id",…],…},"virtual":{…}}
 *   {"table":"units"}            then one JSON array a row, its cells in the header's column order
 *   {"virtual":"notes_fts"}      an FTS5 table keeping its own text: rowid, then its columns
 *   {"end":true,"rows":{"units":12,…}}
 *
 * Every ordinary table is in it, parents before children, except the reach rollup (rebuilt from
 * the records after a restore) and the tables of SQLite, D1 and the migrators. Virtual tables are
 * found in sqlite_master, never named here: their shadow tables are left out, an FTS5 index over
 * another table is rebuilt from it after a restore, and one keeping its own text is carried as rows.
 */

export const BACKUP_FORMAT = 'loa-backup'
const FORMAT_VERSION = 1
/** Made again from the records after a restore (src/domain/reach-rollup.ts); their rows are not carried. */
const REBUILT = ['reach_months', 'reach_calendar', 'reach_state']
/** Rows read a query: bounded memory and response chunks however large a table is. */
const READ_ROWS = 500
/** Insert statements a write (one D1 batch, one SQLite savepoint): each within D1's 100 bound values. */
const STATEMENTS_PER_WRITE = 50
/** How long the restore may spend rebuilding the reach rollup; the minute's job continues it. */
const ROLLUP_BUDGET_MS = 5_000

interface Header {
  format: typeof BACKUP_FORMAT
  formatVersion: number
  schema: string | null
  exportedAt: string
  tables: Record<string, string[]>
  virtual: Record<string, string[]>
}

const copied = (catalog: Catalog) => catalog.tables.filter((t) => !REBUILT.includes(t.name))
const carried = (catalog: Catalog) => catalog.virtual.filter((v) => v.module === 'fts5' && v.content === 'own')

function headerOf(catalog: Catalog, schema: string | null, now: Date): Header {
  return {
    format: BACKUP_FORMAT,
    formatVersion: FORMAT_VERSION,
    schema,
    exportedAt: now.toISOString(),
    tables: Object.fromEntries(copied(catalog).map((t) => [t.name, t.columns])),
    virtual: Object.fromEntries(carried(catalog).map((v) => [v.name, ['rowid', ...v.columns]])),
  }
}

/** A cell as JSON: SQLite's text, numbers and null (Loa keeps no blobs; one would be refused rather than changed). */
function cellJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'number') return JSON.stringify(value)
  if (typeof value === 'bigint') return value.toString()
  throw new Error(`backup: a ${typeof value} cell cannot be written as JSON`)
}
const rowJson = (row: Cell[]) => `[${row.map(cellJson).join(',')}]\n`

/**
 * The backup as text chunks (a header, then at most READ_ROWS rows a chunk), read a chunk at a
 * time as the consumer pulls them: a large table is never held whole. The tables are read one
 * query after another, not in one transaction (D1 has none across queries): what is written while
 * the export runs may be in one table and not in another.
 */
export async function* exportBackup(db: Db, now: Date): AsyncGenerator<string> {
  const catalog = await readCatalog(db)
  yield `${JSON.stringify(headerOf(catalog, await schemaVersion(db), now))}\n`
  const rows: Record<string, number> = {}
  for (const table of copied(catalog)) {
    yield `${JSON.stringify({ table: table.name })}\n`
    rows[table.name] = 0
    for (let from = 0; ; ) {
      const chunk = await readChunk(db, table, from, READ_ROWS)
      if (chunk.rows.length === 0) break
      rows[table.name]! += chunk.rows.length
      from = chunk.next
      yield chunk.rows.map(rowJson).join('')
    }
  }
  for (const table of carried(catalog)) {
    yield `${JSON.stringify({ virtual: table.name })}\n`
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const chunk = await readVirtualRows(db, table, after, READ_ROWS)
      if (chunk.rows.length === 0) break
      after = chunk.next
      yield chunk.rows.map(rowJson).join('')
    }
  }
  yield `${JSON.stringify({ end: true, rows })}\n`
}

/** The lines of a text stream, one at a time, without holding more than a line and a chunk. */
export async function* linesOf(chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let rest = ''
  for await (const chunk of chunks) {
    rest += chunk
    let nl: number
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl).replace(/\r$/, '')
      rest = rest.slice(nl + 1)
      if (line.trim()) yield line
    }
  }
  if (rest.trim()) yield rest
}

export interface RestoreResult {
  schema: string | null
  exportedAt: string
  /** Rows written, by table. */
  rows: Record<string, number>
  /** FTS5 tables whose index was rebuilt. */
  rebuilt: string[]
  /** Virtual tables left as the restore found them (a contentless FTS5 index, another module): their owner must fill them. */
  notRestored: string[]
  /** Whether the reach rollup is built again; if not, the minute's job finishes it. */
  reachRollupReady: boolean
}

/** What a part of a file sent in several answers: the rows it wrote, and the token the next part must carry. */
export interface RestorePartResult {
  schema: string | null
  exportedAt: string
  rows: Record<string, number>
  continue: string
}

/** A damaged line: not JSON, a row that does not fit its table, a line that is neither a row nor a table's start, or counts that differ. */
const badFile = (line: number, why: 'badJson' | 'badRow' | 'badMark'): AppError => new AppError('unprocessable', `backup.errors.${why}`, { line })
const badCounts = (line: number, tables: string[]): AppError => new AppError('unprocessable', 'backup.errors.badCounts', { line, tables: tables.join(', ') })

function parseLine(text: string, line: number): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw line === 1 ? new AppError('unprocessable', 'backup.errors.notBackup') : badFile(line, 'badJson')
  }
}

/** Reads and checks the header: a Loa backup of this database's schema, naming exactly its tables and columns. */
function checkHeader(value: unknown, catalog: Catalog, here: string | null): Header {
  const header = value as Partial<Header> | null
  if (!header || header.format !== BACKUP_FORMAT || typeof header.tables !== 'object' || !header.tables) {
    throw new AppError('unprocessable', 'backup.errors.notBackup')
  }
  if (header.formatVersion !== FORMAT_VERSION) throw new AppError('unprocessable', 'backup.errors.formatVersion', { version: String(header.formatVersion) })
  if (header.schema !== here) throw new AppError('unprocessable', 'backup.errors.schemaDiffers', { file: String(header.schema), here: String(here) })
  const want = copied(catalog)
  const differs = [
    ...want.filter((t) => String(header.tables![t.name]) !== String(t.columns)).map((t) => t.name),
    ...Object.keys(header.tables).filter((name) => !want.some((t) => t.name === name)),
    ...Object.entries(header.virtual ?? {})
      .filter(([name, cols]) => String(carried(catalog).find((v) => v.name === name)?.columns.map((c) => c) ?? '') !== String(cols.slice(1)))
      .map(([name]) => name),
  ]
  if (differs.length) throw new AppError('unprocessable', 'backup.errors.tablesDiffer', { tables: differs.join(', ') })
  return header as Header
}

async function countPeople(db: Db, catalog: Catalog): Promise<number> {
  if (!catalog.tables.some((t) => t.name === 'people')) return 0
  const [row] = await db.all<{ n: number }>(sql`select count(*) as n from people`)
  return Number(row?.n ?? 0)
}

/** Where the rows being read go: a table's name and columns, what is waiting to be written, and how many were. */
interface Target {
  name: string
  columns: string[]
  pending: Cell[][]
  written: number
}

async function flush(db: Db, target: Target | undefined, rows: Record<string, number>) {
  if (!target || target.pending.length === 0) return
  try {
    await atomic(db, insertStatements(db, target.name, target.columns, target.pending))
  } catch (err) {
    // A row the database refuses (a reference to nothing, a key twice): the file does not fit it.
    const text = `${(err as Error)?.message ?? ''} ${String((err as { cause?: unknown })?.cause ?? '')}`
    if (/constraint failed/i.test(text)) throw new AppError('unprocessable', 'backup.errors.refusedRows', { table: target.name })
    throw err
  }
  target.written += target.pending.length
  rows[target.name] = target.written
  target.pending = []
}

const isCell = (v: unknown): v is Cell => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))

/** A line that is not a row: a table's or virtual table's start, or the end of the file or of one part of it. */
interface Mark {
  table?: unknown
  virtual?: unknown
  /** A virtual table's rows continued from the previous part: not emptied again. */
  continued?: unknown
  end?: unknown
  more?: unknown
  rows?: Record<string, number>
}

/**
 * Writes the rows after the header, a batch at a time, up to the end line (`end`), or the line
 * that ends one part of a file sent in several (`more`); the line's counts must match the rows
 * written.
 */
async function writeRows(db: Db, lines: AsyncIterator<string>, header: Header, rows: Record<string, number>): Promise<'end' | 'more'> {
  let target: Target | undefined
  const batchRows = (columns: number) => STATEMENTS_PER_WRITE * Math.max(1, Math.floor(100 / Math.max(1, columns)))
  for (let n = 2; ; n++) {
    const next = await lines.next()
    if (next.done) throw new AppError('unprocessable', 'backup.errors.truncated')
    const value = parseLine(next.value, n)
    if (Array.isArray(value)) {
      if (!target || value.length !== target.columns.length || !value.every(isCell)) throw badFile(n, 'badRow')
      target.pending.push(value)
      if (target.pending.length >= batchRows(target.columns.length)) await flush(db, target, rows)
      continue
    }
    await flush(db, target, rows)
    const mark = value as Mark | null
    if (typeof mark?.table === 'string' && header.tables[mark.table]) {
      target = { name: mark.table, columns: header.tables[mark.table]!, pending: [], written: 0 }
    } else if (typeof mark?.virtual === 'string' && header.virtual?.[mark.virtual]) {
      // Whatever triggers wrote into it while its table was restored gives way to the rows carried.
      if (mark.continued !== true) await db.run(sql.raw(`delete from "${mark.virtual.replaceAll('"', '""')}"`))
      target = { name: mark.virtual, columns: header.virtual[mark.virtual]!, pending: [], written: 0 }
    } else if (mark?.end === true || mark?.more === true) {
      const short = Object.entries(mark.rows ?? {}).filter(([name, count]) => (rows[name] ?? 0) !== count)
      if (short.length) throw badCounts(n, short.map(([name]) => name))
      return mark.end === true ? 'end' : 'more'
    } else {
      throw badFile(n, 'badMark')
    }
  }
}

/** The settings row of a restore sent in parts: the token its next part must carry, and which file it is. */
const UNDERWAY_KEY = 'backup_restore'

async function underway(db: Db): Promise<{ token: string; exportedAt: string } | undefined> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, UNDERWAY_KEY))
  return row ? (JSON.parse(row.value) as { token: string; exportedAt: string }) : undefined
}

/** A new restore empties the tables (after its checks); a part that continues one must name it, and the same file. */
async function beginOrContinue(db: Db, catalog: Catalog, header: Header, opts: RestoreOptions): Promise<void> {
  if (opts.continueToken !== undefined) {
    const open = await underway(db)
    if (!open || open.token !== opts.continueToken || open.exportedAt !== header.exportedAt) throw new AppError('conflict', 'backup.errors.noRestoreUnderway')
    return
  }
  const people = await countPeople(db, catalog)
  if (people > 0 && !opts.replace) throw new AppError('conflict', 'backup.errors.notEmpty', { people })
  const names = [...catalog.tables.filter((t) => REBUILT.includes(t.name)), ...copied(catalog)].map((t) => t.name)
  await atomic(db, clearStatements(db, names))
}

export interface RestoreOptions {
  replace: boolean
  /** The token the previous part of this file answered: this request continues that restore. */
  continueToken?: string
  now: Date
  timeZone: string
}

/**
 * Restores a backup into this database: refused, with nothing changed, unless the file is a Loa
 * backup of the same schema version (the last migration applied) and the database holds no people
 * or `replace` is given. Then every table the file carries is emptied and written again in
 * batches (each within D1's 100 bound values a statement, foreign keys deferred within a batch;
 * parents come before children in the file), every FTS5 index rebuilt, and the reach rollup built
 * again from the records. A file that breaks off part-way leaves the tables written so far: run
 * it again with `replace`.
 *
 * A file too large for one request (a Worker reads at most 100 MB) is sent in parts
 * (`splitBackup`): each part ends with a `more` line and is answered with a token, which the next
 * part carries (`continueToken`); only the first empties the tables, only the last rebuilds.
 */
export async function restoreBackup(db: Db, input: AsyncIterable<string>, opts: RestoreOptions): Promise<RestoreResult | RestorePartResult> {
  const catalog = await readCatalog(db)
  const lines = linesOf(input)[Symbol.asyncIterator]()
  const first = await lines.next()
  if (first.done) throw new AppError('unprocessable', 'backup.errors.notBackup')
  const header = checkHeader(parseLine(first.value, 1), catalog, await schemaVersion(db))
  await beginOrContinue(db, catalog, header, opts)
  const rows: Record<string, number> = opts.continueToken === undefined ? Object.fromEntries(copied(catalog).map((t) => [t.name, 0])) : {}
  const done = await writeRows(db, lines, header, rows)
  const result = { schema: header.schema, exportedAt: header.exportedAt, rows }
  if (done === 'more') {
    const token = opts.continueToken ?? crypto.randomUUID()
    const value = JSON.stringify({ token, exportedAt: header.exportedAt })
    await db.insert(settings).values({ key: UNDERWAY_KEY, value }).onConflictDoUpdate({ target: settings.key, set: { value } })
    return { ...result, continue: token }
  }
  await db.delete(settings).where(eq(settings.key, UNDERWAY_KEY))
  const fts: VirtualTable[] = catalog.virtual.filter((v) => v.module === 'fts5' && v.content !== 'none')
  for (const table of fts) await rebuildFts(db, table.name)
  const rollup = catalog.tables.some((t) => t.name === 'reach_state') ? await buildReachRollup(db, opts.timeZone, { now: opts.now, budgetMs: ROLLUP_BUDGET_MS }) : { ready: true }
  return {
    ...result,
    rebuilt: fts.map((t) => t.name),
    notRestored: catalog.virtual.filter((v) => !fts.includes(v) && !(v.module === 'fts5' && v.content === 'own')).map((v) => v.name),
    reachRollupReady: rollup.ready,
  }
}

/**
 * A backup cut into parts of at most `maxBytes` (UTF-8; more only when the header and one row are
 * larger) at row boundaries, each a backup of its own for `restoreBackup`: the header, the table it continues, its rows, and a `more` line (the
 * last: `end`) counting its rows. Checked whole first (`checkBackupFile`).
 */
export async function* splitBackup(input: AsyncIterable<string> | Iterable<string>, maxBytes: number): AsyncGenerator<string> {
  const encoder = new TextEncoder()
  let header = ''
  let mark = ''
  let part: string[] = []
  let bytes = 0
  let counts: Record<string, number> = {}
  let rowsInPart = 0
  let current = ''
  const close = (last: Mark) => `${part.join('')}${JSON.stringify({ ...last, rows: counts })}\n`
  for await (const line of linesOf(input)) {
    if (!header) {
      header = `${line}\n`
      part = [header]
      bytes = encoder.encode(header).byteLength
      continue
    }
    const size = encoder.encode(line).byteLength + 1
    if (line.startsWith('[')) {
      // Room kept for the closing line: its counts, each at most 16 digits.
      const closing = 32 + Object.keys(counts).reduce((sum, name) => sum + encoder.encode(name).byteLength + 20, 0)
      if (bytes + size + closing > maxBytes && rowsInPart > 0) {
        yield close({ more: true })
        const again = JSON.parse(mark) as Mark
        const continued = typeof again.virtual === 'string' ? { ...again, continued: true } : again
        part = [header, `${JSON.stringify(continued)}\n`]
        bytes = encoder.encode(part.join('')).byteLength
        counts = {}
        rowsInPart = 0
      }
      counts[current] = (counts[current] ?? 0) + 1
      rowsInPart++
    } else {
      const parsed = JSON.parse(line) as Mark
      if (parsed.end === true) break
      mark = line
      current = String(parsed.table ?? parsed.virtual)
      counts[current] ??= 0
    }
    part.push(`${line}\n`)
    bytes += size
  }
  yield close({ end: true })
}

/**
 * Reads a whole backup file without writing anything: a header, rows that are JSON arrays after a
 * table's line, and an end line whose counts match the rows. What the restore command checks
 * before it sends a file, so a damaged file is refused before the database is emptied.
 */
export async function checkBackupFile(input: AsyncIterable<string>): Promise<{ schema: string | null; exportedAt: string; rows: number }> {
  const lines = linesOf(input)[Symbol.asyncIterator]()
  const first = await lines.next()
  const header = first.done ? undefined : (parseLine(first.value, 1) as Partial<Header> | null)
  if (!header || header.format !== BACKUP_FORMAT || typeof header.tables !== 'object' || !header.tables) throw new AppError('unprocessable', 'backup.errors.notBackup')
  const counts: Record<string, number> = {}
  let current: string | undefined
  let total = 0
  for (let n = 2; ; n++) {
    const next = await lines.next()
    if (next.done) throw new AppError('unprocessable', 'backup.errors.truncated')
    const value = parseLine(next.value, n)
    if (Array.isArray(value)) {
      if (current === undefined || !value.every(isCell)) throw badFile(n, 'badRow')
      counts[current] = (counts[current] ?? 0) + 1
      total++
      continue
    }
    const mark = value as { table?: unknown; virtual?: unknown; end?: unknown; rows?: Record<string, number> } | null
    if (typeof mark?.table === 'string') current = mark.table
    else if (typeof mark?.virtual === 'string') current = `virtual:${mark.virtual}`
    else if (mark?.end === true) {
      const short = Object.entries(mark.rows ?? {}).filter(([name, count]) => (counts[name] ?? 0) !== count)
      if (short.length) throw badCounts(n, short.map(([name]) => name))
      return { schema: header.schema ?? null, exportedAt: String(header.exportedAt), rows: total }
    } else throw badFile(n, 'badMark')
  }
}
