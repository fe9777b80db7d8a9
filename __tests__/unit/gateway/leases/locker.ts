// Another process that holds a SQLite store's write lock (as an admin's `sqlite3` in a transaction
// would): `BEGIN EXCLUSIVE` on the file until released.
import { spawn } from 'node:child_process'

const SCRIPT = `
const { DatabaseSync } = require('node:sqlite')
const db = new DatabaseSync(process.argv[1])
db.exec('BEGIN EXCLUSIVE')
process.stdout.write('held\\n')
process.stdin.on('data', () => undefined)
process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0) })
`

/** Resolves once another process holds `path`'s write lock; `release()` ends that process. */
export async function holdWriteLock(path: string): Promise<{ release: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', SCRIPT, path], { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)))
  })
  return {
    release: async () => {
      child.stdin.end()
      await exited
    }
  }
}
