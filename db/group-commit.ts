import type Database from 'better-sqlite3'

/**
 * Group commit for one better-sqlite3 connection: every write made in one turn of the event loop
 * joins one transaction, committed when the turn ends (setImmediate, after the I/O callbacks).
 *
 * Why: each chat message writes three small rows (its update id, the answer, the conversation).
 * As separate transactions that is three rounds of locking and WAL writes for the same few hot
 * pages; under a quiz burst a hundred messages share a turn, and so one commit. In the quiz
 * benchmark it took about a third off the server's CPU per answer.
 *
 * What stays true:
 * - Nothing is answered before it is committed: the HTTP layer and the chat router wait for
 *   `committed()` before they reply, so a crash before the commit loses only unanswered work,
 *   which the platforms deliver again.
 * - A statement that breaks a constraint undoes itself only (SQLite's statement rollback), and
 *   `atomic()` blocks become savepoints, so one request's bad input never reaches another's writes.
 * - When the turn itself fails (the commit fails, or SQLite rolls the whole transaction back: disk
 *   full, I/O error), `onTurnFailed` is told. The Node server stops there, before anything else is
 *   answered, because nobody can say which earlier answers were wrongly promised; without that
 *   handler (tests) every waiter of the turn gets the error and the next write starts a new turn.
 * - Reads before the turn's first write run on their own, as before, so readers never wait for
 *   another process's writer (a CLI import); writes wait for it as they always did (busy_timeout).
 */
export interface GroupCommit {
  /** Opens the turn's transaction, if none is open, before a statement that writes. */
  beforeWrite(): void
  /** After a statement in the turn threw: notices when SQLite rolled the whole transaction back. */
  afterError(err: unknown): void
  /** Resolves once everything written so far is committed; rejects if that commit failed. */
  committed(): Promise<void>
  /** Commits the open turn now (at shutdown); throws if that commit failed. */
  flush(): void
}

interface Turn {
  done: Promise<void>
  resolve(): void
  reject(err: unknown): void
}

/**
 * Makes what COMMIT wrote durable, for SQLite in WAL mode with synchronous=NORMAL (COMMIT writes the
 * WAL without waiting for the disk): `start` syncs the WAL file off the event loop (fdatasync on
 * libuv's thread pool) and calls back; `now` does it at once (at shutdown).
 */
export interface WalSync {
  start(done: (err: Error | null) => void): void
  now(): void
}

export class TurnFailedError extends Error {
  constructor(cause: unknown) {
    super(`the database transaction of this moment failed: ${(cause as Error)?.message ?? String(cause)}`, { cause })
    this.name = 'TurnFailedError'
  }
}

/**
 * WAL syncs under way at once. A turn committed while one runs starts the next at once rather than
 * waiting for it to end (its waiters would wait for two syncs); more would only queue at the disk.
 */
const MAX_SYNCS = 2

/**
 * With `sync`, a turn's waiters hear of it only once a WAL sync that began after its COMMIT has
 * finished: what is acknowledged is on disk, as with synchronous=FULL, but the event loop does not
 * stop for the disk at every commit (the next turns run while the sync is under way, and one sync
 * covers every turn committed before it began).
 */
export function groupCommit(
  client: Database.Database,
  onTurnFailed: (err: TurnFailedError) => void,
  sync?: WalSync,
  timed?: (name: string, start: number) => void,
): GroupCommit {
  const begin = client.prepare('BEGIN IMMEDIATE')
  const commit = client.prepare('COMMIT')
  let turn: Turn | null = null
  /** Committed turns waiting for the next WAL sync, oldest first. */
  let unsynced: Turn[] = []
  /** The turns of each WAL sync under way, oldest sync first. */
  let syncing: Turn[][] = []

  function startSync() {
    while (syncing.length < MAX_SYNCS && unsynced.length > 0) {
      const batch = unsynced
      unsynced = []
      syncing.push(batch)
      sync!.start((err) => {
        const at = syncing.indexOf(batch)
        if (at < 0) return // told already, by a later sync that finished first, or by flush()
        if (err) {
          syncing.splice(at, 1)
          const failed = new TurnFailedError(err)
          for (const t of batch) t.reject(failed)
          onTurnFailed(failed)
        } else {
          // A sync begun later also covers what earlier syncs were begun for.
          for (const done of syncing.splice(0, at + 1)) for (const t of done) t.resolve()
        }
        startSync()
      })
    }
  }

  /** Gives up the turn: what SQLite has not rolled back yet is rolled back, and its waiters told. */
  function fail(current: Turn, cause: unknown): TurnFailedError {
    if (turn === current) turn = null
    try {
      if (client.inTransaction) client.exec('ROLLBACK')
    } catch {
      // A statement still running (an open iterator) blocks the rollback; the handler decides.
    }
    const err = new TurnFailedError(cause)
    current.reject(err)
    onTurnFailed(err)
    return err
  }

  /** Commits the open turn; returns the error when that failed. */
  function end(): TurnFailedError | undefined {
    const current = turn
    if (!current) return undefined
    turn = null
    const start = timed && performance.now()
    try {
      commit.run()
    } catch (err) {
      return fail(current, err)
    } finally {
      if (start !== undefined) timed!('COMMIT (with any WAL checkpoint)', start)
    }
    if (!sync) {
      current.resolve()
      return undefined
    }
    unsynced.push(current)
    startSync()
    return undefined
  }

  /** The newest turn not yet known to be on disk: its waiters are told after every earlier one's. */
  const newest = () => turn ?? unsynced.at(-1) ?? syncing.at(-1)?.at(-1)

  return {
    beforeWrite() {
      if (turn) {
        if (client.inTransaction) return
        // SQLite rolled the turn back under a statement that did not report it here.
        fail(turn, new Error('SQLite rolled the transaction back'))
      }
      // Only a turn opens a transaction (atomic() blocks run inside one), so one open here was
      // left behind by a failed turn: joining it would promise what nobody will commit.
      if (client.inTransaction) throw new TurnFailedError(new Error('a transaction was left open by a failed turn'))
      begin.run()
      let resolve!: () => void
      let reject!: (err: unknown) => void
      const done = new Promise<void>((ok, no) => {
        resolve = ok
        reject = no
      })
      // Reported through onTurnFailed; a turn nobody waits on must not crash the process.
      done.catch(() => {})
      turn = { done, resolve, reject }
      setImmediate(end)
    },
    afterError(err) {
      if (turn && !client.inTransaction) fail(turn, err)
    },
    committed: () => newest()?.done ?? Promise.resolve(),
    flush() {
      const err = end()
      if (err) throw err
      if (sync && (unsynced.length || syncing.length)) {
        const waiting = [...syncing.flat(), ...unsynced]
        unsynced = []
        syncing = []
        try {
          sync.now()
        } catch (cause) {
          const failed = new TurnFailedError(cause)
          for (const t of waiting) t.reject(failed)
          throw failed
        }
        for (const t of waiting) t.resolve()
      }
    },
  }
}
