import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { chmodSync, closeSync, existsSync, fdatasync, fdatasyncSync, fstatSync, mkdirSync, openSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { groupCommit, type GroupCommit, type TurnFailedError, type WalSync } from './group-commit.js'
import * as schema from './schema/index.js'
import type { Db } from './types.js'

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations')

export interface SqliteDb {
  db: Db
  /** Resolves once every write made so far is committed (see group-commit.ts). */
  committed: () => Promise<void>
  /**
   * Commits what is pending, copies the WAL back into the database file and empties the WAL
   * (wal_checkpoint(TRUNCATE)): after an erasure, the old versions of the pages it changed are
   * then nowhere on disk. Waits for readers up to busy_timeout; false if one held it back.
   */
  checkpoint: () => boolean
  /** Commits what is pending and closes the file. */
  close: () => void
}

/**
 * Opens (or creates) the SQLite file, tunes it for a web server, applies pending migrations, and
 * from then on groups each event-loop turn's writes into one transaction. `onTurnFailed` hears of
 * a turn whose transaction failed (disk full, I/O error); servers should stop there.
 */
export function openSqlite(
  path: string,
  options: {
    onTurnFailed?: (err: TurnFailedError) => void
    /** Bench-only: told of each statement and COMMIT with when it started (src/node/stalls.ts). */
    timed?: (name: string, start: number) => void
  } = {},
): SqliteDb {
  if (path !== ':memory:' && path !== '') privateFile(path)
  const client = new Database(path)
  client.pragma('journal_mode = WAL')
  const onDisk = path !== ':memory:' && path !== '' && client.pragma('journal_mode', { simple: true }) === 'wal'
  // What the server acknowledges survives a power loss: the WAL is on disk (fdatasync) before
  // anyone hears of a commit. SQLite's synchronous=FULL would do that inside COMMIT, stopping the
  // event loop for the disk at every turn; instead COMMIT only writes the WAL (NORMAL) and the
  // group commit syncs it on libuv's thread pool and tells the turn's waiters afterwards (one sync
  // for all the turns committed meanwhile). Without a WAL file (in memory), FULL as before.
  client.pragma(onDisk ? 'synchronous = NORMAL' : 'synchronous = FULL')
  client.pragma('foreign_keys = ON')
  client.pragma('busy_timeout = 5000')
  // Deleted and overwritten content is zeroed on its page, not left in free space: an erased
  // person's name is then not in the file (nor in a backup, which copies free pages too) once the
  // WAL is checkpointed. Cost measured in bench/secure-delete.ts (README, Personal data).
  client.pragma('secure_delete = ON')
  // Every chat message writes a few small rows to the same hot pages. Checkpointing every 10,000
  // pages (about 40 MB of WAL) instead of SQLite's 1,000 copies each hot page back far less often;
  // the quiz benchmark measures what it saves (README, Benchmarks).
  client.pragma('wal_autocheckpoint = 10000')
  const db = drizzle({ client, schema })
  migrate(db, { migrationsFolder })
  const wal = onDisk ? walSync(`${path}-wal`) : undefined
  // The migrations just run are made durable too.
  if (wal && existsSync(`${path}-wal`)) wal.now()
  const turns = groupCommit(client, options.onTurnFailed ?? (() => {}), wal, options.timed)
  reuseStatements(client, turns, options.timed)
  return {
    db: db as unknown as Db,
    committed: turns.committed,
    checkpoint: () => {
      turns.flush()
      const [result] = client.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
      return !result || result.busy === 0
    },
    close: () => {
      turns.flush()
      wal?.close()
      client.close()
    },
  }
}

/**
 * fdatasync of the WAL file through a descriptor of our own: it flushes every page of the file
 * that SQLite wrote, whichever descriptor wrote it. SQLite keeps the same WAL file while a
 * connection is open (it restarts it from the top after a checkpoint, and deletes it only when the
 * last connection closes), so one descriptor serves the whole run.
 */
function walSync(walPath: string): WalSync & { close(): void } {
  let fd: number | undefined
  let inFlight = 0
  let closed = false
  /** When the descriptor was last checked against the file's name (two stat calls; not at every sync). */
  let checkedAt = 0
  const open = () => {
    // The same file as SQLite's, still: had the WAL been deleted and made anew (it is not while a
    // connection is open, but a sync of an orphan file would fail silently), open the new one.
    // Checked at most every 100 ms: at a thousand syncs a second the two stats took about 2 % of
    // the server's CPU in the webhook benchmark.
    const now = Date.now()
    if (fd !== undefined && inFlight === 0 && now - checkedAt >= 100) {
      checkedAt = now
      if (fstatSync(fd).ino !== statSync(walPath).ino) {
        closeSync(fd)
        fd = undefined
      }
    }
    return (fd ??= openSync(walPath, 'r+'))
  }
  return {
    start(done) {
      let descriptor: number
      try {
        descriptor = open()
      } catch (err) {
        done(err as Error)
        return
      }
      inFlight++
      fdatasync(descriptor, (err) => {
        inFlight--
        if (closed) {
          // Closed meanwhile: close() synced what was left and these waiters were told then.
          if (inFlight === 0) closeSync(descriptor)
          return
        }
        done(err)
      })
    },
    now() {
      fdatasyncSync(open())
    },
    close() {
      closed = true
      if (fd !== undefined && inFlight === 0) closeSync(fd)
    },
  }
}

/**
 * The database holds names, phone numbers and chat ids: nobody but Loa's own user may read it. A
 * folder Loa creates is 0700; the file is created 0600 before SQLite opens it, and SQLite gives
 * its -wal and -shm files the mode of the database file. A file that already exists with wider
 * permissions (made by an older version, or copied in) is narrowed to 0600 with its -wal and -shm,
 * when this account owns it.
 */
export function privateFile(path: string) {
  const dir = dirname(resolve(path))
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (!existsSync(path)) {
    // 'a' creates it if missing and never truncates one that appeared in between.
    closeSync(openSync(path, 'a', 0o600))
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file) || (statSync(file).mode & 0o077) === 0) continue
    try {
      chmodSync(file, 0o600)
    } catch (err) {
      // A file owned by another account (shared by group) is its owner's to narrow: still open it.
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err
    }
  }
}

/**
 * drizzle compiles every query anew (better-sqlite3 `prepare`), which costs as much as running a
 * small indexed query. Statements are kept by their SQL text and handed out again; drizzle turns
 * `raw` mode on for some reads, so it is reset each time. Statements that write, and transactions,
 * first open the turn's transaction.
 */
function reuseStatements(client: Database.Database, turns: GroupCommit, timed?: (name: string, start: number) => void, max = 500) {
  const cache = new Map<string, Database.Statement>()
  const prepare = client.prepare.bind(client)
  const transaction = client.transaction.bind(client)
  client.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = transaction(fn)
    // Inside the turn's transaction better-sqlite3 runs the block as a savepoint.
    const wrap = <F extends (...args: never[]) => unknown>(f: F) => inTurn(turns, f)
    return Object.assign(wrap(tx), {
      default: wrap(tx.default),
      deferred: wrap(tx.deferred),
      immediate: wrap(tx.immediate),
      exclusive: wrap(tx.exclusive),
    })
  }) as typeof client.transaction
  client.prepare = ((source: string) => {
    let stmt = cache.get(source)
    if (stmt) {
      cache.delete(source)
      cache.set(source, stmt)
      if (stmt.reader) stmt.raw(false)
      return stmt
    }
    stmt = prepare(source)
    if (timed) timeStatement(stmt, source, timed)
    if (!stmt.readonly) opensTurn(stmt, turns)
    cache.set(source, stmt)
    if (cache.size > max) cache.delete(cache.keys().next().value!)
    return stmt
  }) as typeof client.prepare
}

function timeStatement(stmt: Database.Statement, source: string, timed: (name: string, start: number) => void) {
  const name = source.replace(/\s+/g, ' ').slice(0, 90)
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const f = stmt[method].bind(stmt) as (...args: unknown[]) => unknown
    Object.defineProperty(stmt, method, {
      value: (...args: unknown[]) => {
        const start = performance.now()
        try {
          return f(...args)
        } finally {
          timed(name, start)
        }
      },
      configurable: true,
    })
  }
}

function opensTurn(stmt: Database.Statement, turns: GroupCommit) {
  for (const method of ['run', 'get', 'all'] as const) {
    Object.defineProperty(stmt, method, { value: inTurn(turns, stmt[method].bind(stmt)) })
  }
}

/** `f` run inside the turn's transaction, telling the turn when a statement failed. */
function inTurn<F extends (...args: never[]) => unknown>(turns: GroupCommit, f: F): F {
  return ((...args: Parameters<F>) => {
    turns.beforeWrite()
    try {
      return f(...args)
    } catch (err) {
      turns.afterError(err)
      throw err
    }
  }) as F
}
