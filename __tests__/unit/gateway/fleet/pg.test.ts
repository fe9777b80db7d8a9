// The standby's lock and the fleet's revoke notices against a real PostgreSQL cluster of the test's own
// (lab/postgres.mjs: initdb in a temporary folder, a Unix socket only, removed after).
import pg from 'pg'
import { startPostgres, type Postgres } from '../../../../lab/postgres.mjs'
import { Standby, lockKey, type Role } from '../../../../src/gateway/fleet/standby.js'
import { CHANNEL, Listener, notifyRevoke } from '../../../../src/gateway/fleet/notices.js'
import type { Audit } from '../../../../src/gateway/audit.js'

const KEY = 'SGVsbG8gV29ybGQgSGVsbG8gV29ybGQgSGVsbG8gV28='
const OTHER = 'T0dWc2JHOGdWMjl5YkdRZ1NHVnNiRzhnVjI5eWJHUWc='
const ID = '0b6d5f7e-1c2a-4b3c-8d9e-0f1a2b3c4d5e'

let cluster: Postgres
let url: string
const opened: { stop(): Promise<void> }[] = []
const quiet: Audit = () => undefined

beforeAll(async () => {
  cluster = await startPostgres()
  url = cluster.url()
})
afterEach(async () => {
  for (const o of opened.splice(0)) await o.stop()
})
afterAll(() => cluster.close())

/** Polls `check` every 50 ms until it holds, at most `ms` (then fails naming `what`). */
async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

function standby(events: string[], name: string, tickMs = 200): Standby {
  const s = new Standby({
    client: () => new pg.Client({ connectionString: url, application_name: name }),
    key: lockKey(KEY),
    activate: () => {
      events.push(`${name} active`)
      return Promise.resolve()
    },
    stepDown: () => {
      events.push(`${name} standby`)
      return Promise.resolve()
    },
    audit: quiet,
    tickMs
  })
  opened.push(s)
  return s
}

/** Backend pid of the session holding the advisory lock of KEY, if any. */
async function holder(): Promise<number | undefined> {
  const c = new pg.Client(url)
  await c.connect()
  try {
    const k = BigInt.asUintN(64, lockKey(KEY))
    const r = await c.query<{ pid: number }>(
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2 AND objsubid = 1",
      [String(k >> 32n), String(k & 0xffffffffn)]
    )
    return r.rows[0]?.pid
  } finally {
    await c.end()
  }
}

describe('standby (advisory lock)', () => {
  it('lets exactly one of two processes act', async () => {
    const events: string[] = []
    const a = standby(events, 'a')
    const b = standby(events, 'b')
    await a.start()
    await b.start()
    await until('both reach the database', () => a.databaseReachable && b.databaseReachable)
    // Several ticks pass; the standby keeps trying and never acts.
    await b.tick()
    await b.tick()
    expect([a.role, b.role]).toEqual<Role[]>(['active', 'standby'])
    expect(events).toEqual(['a active'])
    expect(await holder()).toBeDefined()
  })

  it('lets the standby take over when the active’s session is terminated, and the old active step down', async () => {
    const events: string[] = []
    const a = standby(events, 'a', 100_000) // ticks only when the test says
    const b = standby(events, 'b')
    await a.start()
    await b.start()
    expect(a.role).toBe('active')
    const pid = await holder()
    cluster.psql(`SELECT pg_terminate_backend(${pid})`)
    await until('the standby takes over', () => b.role === 'active', 10_000)
    // The old active reconnects, finds the lock held by another, and steps down.
    await until('the old active notices', () => {
      void a.tick()
      return a.role === 'standby'
    })
    expect(events).toEqual(['a active', 'b active', 'a standby'])
  })

  it('a refusal while taking over (an overlapping pool) ends the waiting: the lock is released, no retry', async () => {
    const refused: unknown[] = []
    const other: string[] = []
    let tries = 0
    const s = new Standby({
      client: () => new pg.Client({ connectionString: url, application_name: 'refused' }),
      key: lockKey(KEY),
      activate: () => {
        tries++
        return Promise.reject(new RangeError('the pool overlaps'))
      },
      isRefusal: (err) => err instanceof RangeError,
      refused: (err) => refused.push(err),
      stepDown: () => Promise.resolve(),
      audit: quiet,
      tickMs: 50
    })
    opened.push(s)
    await s.start()
    expect(refused).toEqual([new RangeError('the pool overlaps')])
    await s.tick()
    await s.tick()
    expect(tries).toBe(1)
    expect(s.role).toBe('standby')
    // The lock is free again: another process of the gateway takes it.
    const b = standby(other, 'b')
    await b.start()
    expect(other).toEqual(['b active'])
  })

  it('hands over when the active stops (its session closed)', async () => {
    const events: string[] = []
    const a = standby(events, 'a')
    const b = standby(events, 'b')
    await a.start()
    await b.start()
    await a.stop()
    await until('the standby takes over', () => b.role === 'active', 10_000)
    expect(events).toEqual(['a active', 'b active'])
  })

  it('keeps acting while the database is down, and stays active when it comes back', async () => {
    const events: string[] = []
    const a = standby(events, 'a')
    await a.start()
    expect(a.role).toBe('active')
    cluster.stop()
    try {
      await until('the outage is seen', () => !a.databaseReachable)
      expect(a.role).toBe('active')
    } finally {
      cluster.start()
    }
    await until('the database is back', () => a.databaseReachable)
    expect(a.role).toBe('active')
    expect(events).toEqual(['a active'])
    expect(await holder()).toBeDefined()
  })
})

describe('revoke notices (LISTEN/NOTIFY)', () => {
  function listener(self: string, got: string[], checks: { n: number }): Listener {
    const l = new Listener({
      client: () => new pg.Client(url),
      self,
      revoked: (lease) => {
        got.push(lease)
        return Promise.resolve()
      },
      listening: () => {
        checks.n++
        return Promise.resolve()
      },
      audit: quiet
    })
    opened.push(l)
    return l
  }

  it('reaches the owner, and only the owner', async () => {
    const mine: string[] = []
    const theirs: string[] = []
    await listener(KEY, mine, { n: 0 }).start()
    await listener(OTHER, theirs, { n: 0 }).start()
    const pool = new pg.Pool({ connectionString: url })
    try {
      await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, 'not a notice'])
      await notifyRevoke(pool, { gateway: KEY, lease: ID })
    } finally {
      await pool.end()
    }
    await until('the owner hears', () => mine.length > 0)
    expect(mine).toEqual([ID])
    expect(theirs).toEqual([])
  })

  it('listens again after its session ends, and checks for what it missed', async () => {
    const got: string[] = []
    const checks = { n: 0 }
    const l = listener(KEY, got, checks)
    await l.start()
    expect(checks.n).toBe(1)
    cluster.psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN ${CHANNEL}'`)
    await until('it listens again', () => checks.n === 2 && l.listening)
    const c = new pg.Client(url)
    await c.connect()
    try {
      await notifyRevoke(c, { gateway: KEY, lease: ID })
    } finally {
      await c.end()
    }
    await until('the owner hears', () => got.length > 0)
    expect(got).toEqual([ID])
  })
})
