// What the store needs of SQLite beyond queries: a lock that makes one process the store's only
// writer, and which failures mean "the store cannot be written now" (retry later) rather than a bug.
import { DatabaseSync } from 'node:sqlite'

/** Thrown when a write cannot be made now: the store's write lock is held elsewhere, its disk is full, … */
export class StoreUnavailable extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StoreUnavailable'
  }
}

/** Thrown at start: the store is another process's, or another gateway's. One line, for stderr. */
export class StoreRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StoreRefused'
  }
}

/**
 * SQLite's primary result codes (https://www.sqlite.org/rescode.html) that say the store cannot be
 * written now, and what each means for the operator. Any other code is a bug and is thrown as is.
 */
const UNAVAILABLE: Record<number, string> = {
  5: 'another process holds the store’s write lock (SQLITE_BUSY)',
  6: 'the store is locked (SQLITE_LOCKED)',
  7: 'SQLite ran out of memory (SQLITE_NOMEM)',
  8: 'the store is read-only (SQLITE_READONLY)',
  10: 'the store’s disk failed to read or write (SQLITE_IOERR)',
  11: 'the store is corrupt (SQLITE_CORRUPT)',
  13: 'the store’s disk is full (SQLITE_FULL)',
  14: 'the store cannot be opened (SQLITE_CANTOPEN)',
  15: 'the store’s lock protocol failed (SQLITE_PROTOCOL)'
}

/** Why a node:sqlite error means the store cannot be written now; undefined for any other error. */
export function unavailableReason(err: unknown): string | undefined {
  const code = (err as { errcode?: unknown } | null)?.errcode
  if (typeof code !== 'number') return undefined
  return UNAVAILABLE[code & 0xff]
}

/**
 * Makes this process the one writer of the store at `path`: an exclusive SQLite lock on a small
 * database beside it (`PATH.lock`), taken without waiting and held by an open transaction for as
 * long as the returned connection lives. The lock is an fcntl lock, so the kernel releases it when
 * the process ends in any way (SIGKILL included): no stale lock file to clean up after a crash, and
 * it works across network and mount namespaces on one filesystem. (The store's own file cannot
 * carry it: a lock held on it would block the gateway's own writes.) `holder` names the process
 * that holds it, for the refusal. Throws StoreRefused when another process holds it.
 */
export function lockStore(path: string, holder: () => string | undefined): DatabaseSync {
  const lockPath = `${path}.lock`
  const db = new DatabaseSync(lockPath, { timeout: 0 })
  try {
    // No journal file beside the lock; nothing is ever written to it.
    db.exec('PRAGMA journal_mode = MEMORY')
    db.exec('BEGIN EXCLUSIVE')
  } catch (err) {
    db.close()
    if ((unavailableReason(err) ?? '').includes('SQLITE_BUSY')) {
      const who = holder()
      throw new StoreRefused(
        `the store ${path} is in use by another gateway process${who ? ` (${who})` : ''}: one process per store. Stop the other one, or give this gateway its own "state"`
      )
    }
    throw new StoreRefused(
      `cannot lock the store ${path} (${lockPath}): ${err instanceof Error ? err.message : String(err)}`
    )
  }
  return db
}
