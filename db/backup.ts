import Database from 'better-sqlite3'
import { closeSync, existsSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

export type BackupProblem = 'noSource' | 'noFolder' | 'same' | 'exists'

/** A backup that was refused before anything was written; `file` is the path the problem is about. */
export class BackupRefused extends Error {
  constructor(
    readonly problem: BackupProblem,
    readonly file: string,
  ) {
    super(`backup refused (${problem}): ${file}`)
    this.name = 'BackupRefused'
  }
}

export interface BackupResult {
  file: string
  bytes: number
  ms: number
}

/**
 * A consistent copy of a live SQLite database in WAL mode, through SQLite's online backup API.
 *
 * Copying `loa.db` with cp misses what is still in `loa.db-wal` and can catch a page half-written.
 * The backup API reads the database as one connection sees it at one moment (a read transaction,
 * which in WAL mode never blocks the server's writes, nor waits for them), WAL content included.
 * All pages are copied in one step: copied in slices, each write by the server between two slices
 * would start the copy over.
 *
 * The copy is written to a private (0600) temporary file beside the target and only then put in
 * place, so FILE is either absent or a complete copy. An existing FILE is kept unless `force`.
 */
export async function backupSqlite(source: string, target: string, { force = false } = {}): Promise<BackupResult> {
  const started = performance.now()
  if (!existsSync(source)) throw new BackupRefused('noSource', source)
  if (!existsSync(dirname(resolve(target)))) throw new BackupRefused('noFolder', dirname(resolve(target)))
  if (resolve(target) === resolve(source)) throw new BackupRefused('same', target)
  if (existsSync(target) && !force) throw new BackupRefused('exists', target)

  const tmp = join(dirname(resolve(target)), `.${basename(target)}.${process.pid}.partial`)
  // The copy holds everything the database does: created private, and SQLite's journal for it
  // takes the same mode.
  closeSync(openSync(tmp, 'wx', 0o600))
  const db = new Database(source, { fileMustExist: true })
  try {
    db.pragma('busy_timeout = 5000')
    await db.backup(tmp, { progress: () => 0x7fffffff })
    if (force) {
      renameSync(tmp, target)
    } else {
      // A hard link never replaces a file that appeared in the meantime (rename would).
      try {
        linkSync(tmp, target)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupRefused('exists', target)
        // A file system without hard links.
        if (existsSync(target)) throw new BackupRefused('exists', target)
        renameSync(tmp, target)
      }
    }
  } finally {
    db.close()
    rmSync(tmp, { force: true })
  }
  return { file: target, bytes: statSync(target).size, ms: performance.now() - started }
}
