import Database from 'better-sqlite3'
import { sql } from 'drizzle-orm'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { atomic } from '#db/atomic.js'
import { groupCommit, TurnFailedError, type WalSync } from '#db/group-commit.js'
import { openSqlite, type SqliteDb } from '#db/sqlite.js'
import { chatLinks, processedUpdates } from '#db/schema/index.js'

/**
 * The server's SQLite connection commits each event-loop turn's writes together. What the rest of
 * the code relies on: nothing is visible to others (or durable) before `committed()`, everything is
 * after it, and one failing write never takes another request's writes with it.
 */
let dir: string
let file: string
let store: SqliteDb
let other: Database.Database
const seen = () => (other.prepare(`select update_id id from processed_updates where channel = 'telegram' order by update_id`).all() as { id: string }[]).map((r) => r.id)
const claim = (id: string) =>
  store.db.insert(processedUpdates).values({ channel: 'telegram', updateId: id, receivedAt: new Date() }).onConflictDoNothing()

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-group-commit-'))
  file = join(dir, 'loa.db')
  store = openSqlite(file)
  other = new Database(file, { readonly: true })
})
afterEach(() => {
  other.close()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('group commit', () => {
  it('keeps a turn’s writes from other connections until committed() resolves, then shows them all', async () => {
    await Promise.all(['1', '2', '3'].map((id) => claim(id)))
    // The writer sees its own writes at once.
    expect(await store.db.select().from(processedUpdates)).toHaveLength(3)
    expect(seen()).toEqual([])
    await store.committed()
    expect(seen()).toEqual(['1', '2', '3'])
  })

  it('resolves committed() at once when nothing is pending', async () => {
    await store.committed()
    let done = false
    void store.committed().then(() => (done = true))
    await Promise.resolve()
    expect(done).toBe(true)
  })

  it('undoes only a statement that breaks a constraint: the rest of the turn commits', async () => {
    await claim('1')
    await expect(store.db.insert(processedUpdates).values({ channel: 'telegram', updateId: '1', receivedAt: new Date() })).rejects.toThrow(
      /UNIQUE/,
    )
    await claim('2')
    await store.committed()
    expect(seen()).toEqual(['1', '2'])
  })

  it('rolls an atomic() block back to its own savepoint, not the whole turn', async () => {
    await claim('before')
    const broken = store.db.insert(processedUpdates).values({ channel: null as never, updateId: 'x', receivedAt: new Date() })
    await expect(atomic(store.db, [claim('in-block'), broken])).rejects.toThrow(/NOT NULL/)
    await claim('after')
    await store.committed()
    expect(seen()).toEqual(['after', 'before'])
  })

  it('starts a new transaction on the next turn after a commit', async () => {
    await claim('a')
    await store.committed()
    await claim('b')
    expect(seen()).toEqual(['a'])
    await store.committed()
    expect(seen()).toEqual(['a', 'b'])
  })

  it('commits what is pending when the database is closed', async () => {
    await claim('last')
    store.close()
    store = openSqlite(file)
    expect(seen()).toEqual(['last'])
  })

  it('fails the whole turn for everyone waiting when its commit fails', async () => {
    const failures: TurnFailedError[] = []
    store.close()
    store = openSqlite(file, { onTurnFailed: (err) => failures.push(err) })
    await claim('doomed')
    // A foreign key checked at COMMIT makes the commit itself fail.
    await store.db.run(sql`pragma defer_foreign_keys = on`)
    await store.db.insert(chatLinks).values({ personId: 999_999, channel: 'zalo', chatId: 'nobody', linkedAt: new Date() })
    await expect(store.committed()).rejects.toThrow(TurnFailedError)
    expect(failures).toHaveLength(1)
    expect(failures[0]!.message).toMatch(/FOREIGN KEY/)
    expect(seen()).toEqual([])
    // The connection is usable again, in a fresh turn.
    await claim('next')
    await store.committed()
    expect(seen()).toEqual(['next'])
  })

  it('fails the turn at once when SQLite rolls it back mid-way (disk full), and starts a new one', async () => {
    const failures: TurnFailedError[] = []
    store.close()
    store = openSqlite(file, { onTurnFailed: (err) => failures.push(err) })
    const client = (store.db as unknown as { $client: Database.Database }).$client
    // A database that may not grow by more than two pages stands in for a full disk.
    client.pragma(`max_page_count = ${Number(client.pragma('page_count', { simple: true })) + 2}`)
    await claim('A')
    const a = store.committed()
    await expect(claim('big-' + 'x'.repeat(100_000))).rejects.toThrow(/full/)
    await expect(a).rejects.toThrow(TurnFailedError)
    expect(failures).toHaveLength(1)
    // A later write is not left outside any transaction: it opens the next turn.
    await claim('C')
    expect(seen()).toEqual([])
    await store.committed()
    expect(seen()).toEqual(['C'])
  })

  it('lets reads through while another process holds the write lock', async () => {
    const writer = new Database(file)
    writer.exec('BEGIN IMMEDIATE')
    try {
      const started = Date.now()
      expect(await store.db.select().from(processedUpdates)).toEqual([])
      // A read that waited for the lock would wait out busy_timeout (5 s).
      expect(Date.now() - started).toBeLessThan(4000)
    } finally {
      writer.exec('ROLLBACK')
      writer.close()
    }
  })
})

describe('group commit with the WAL synced off the event loop', () => {
  const nextTurn = () => new Promise((r) => setImmediate(r))
  function setup() {
    const client = new Database(join(dir, 'sync.db'))
    client.pragma('journal_mode = WAL')
    client.pragma('synchronous = NORMAL')
    client.exec('create table t (x)')
    const started: ((err: Error | null) => void)[] = []
    const failures: TurnFailedError[] = []
    let syncedNow = 0
    const sync: WalSync = { start: (done) => void started.push(done), now: () => void syncedNow++ }
    const turns = groupCommit(client, (err) => void failures.push(err), sync)
    const insert = client.prepare('insert into t values (?)')
    const write = (x: number) => {
      turns.beforeWrite()
      insert.run(x)
      const state = { done: false, err: undefined as unknown }
      turns.committed().then(
        () => (state.done = true),
        (err) => (state.err = err),
      )
      return state
    }
    return { client, turns, started, failures, write, syncs: () => syncedNow }
  }

  it('tells a turn only after a sync begun after its COMMIT; a later sync that ends first tells the earlier turns too', async () => {
    const { client, started, write } = setup()
    const first = write(1)
    await nextTurn()
    // Committed to the WAL (visible), not yet known to be on disk: nobody is told.
    expect(client.inTransaction).toBe(false)
    expect(started).toHaveLength(1)
    expect(first.done).toBe(false)
    // A turn committed during that sync starts a second one at once.
    const second = write(2)
    await nextTurn()
    expect(started).toHaveLength(2)
    // With two under way, the next turns wait for the next sync, and share it.
    const third = write(3)
    await nextTurn()
    const fourth = write(4)
    await nextTurn()
    expect(started).toHaveLength(2)
    // The second sync ends first: it began after the first turn's COMMIT too, so both are told.
    started[1]!(null)
    await nextTurn()
    expect([first.done, second.done]).toEqual([true, true])
    expect([third.done, fourth.done]).toEqual([false, false])
    expect(started).toHaveLength(3)
    // The first sync's late end changes nothing.
    started[0]!(null)
    await nextTurn()
    expect([third.done, fourth.done]).toEqual([false, false])
    started[2]!(null)
    await nextTurn()
    expect([third.done, fourth.done]).toEqual([true, true])
    client.close()
  })

  it('fails the turns of a sync that failed and reports it, as a failed COMMIT', async () => {
    const { client, started, failures, write } = setup()
    const turn = write(1)
    await nextTurn()
    started[0]!(new Error('EIO: i/o error, fdatasync'))
    await nextTurn()
    expect(turn.err).toBeInstanceOf(TurnFailedError)
    expect(failures).toHaveLength(1)
    client.close()
  })

  it('syncs at once what is left when flushed (shutdown)', async () => {
    const { client, turns, write, syncs } = setup()
    const turn = write(1)
    turns.flush()
    expect(syncs()).toBe(1)
    await nextTurn()
    expect(turn.done).toBe(true)
    client.close()
  })
})
