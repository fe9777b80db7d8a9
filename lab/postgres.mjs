// @ts-check
// A PostgreSQL cluster of the lab's own, from Debian's packages: made with initdb in a temporary
// folder, run by an unprivileged user (initdb and postgres refuse root: as root, the `postgres`
// system user the package creates), listening on a Unix socket in that folder only (no TCP port:
// nothing leaves this machine, and gateways in any network namespace reach it through the file
// system). Stopped and started at will (the outage scenarios), and removed with `close()`, which
// stops only the postmaster of its own data folder (by the pid in its postmaster.pid, checked).
//
// Roles: `root` (peer authentication: the gateways the lab starts run as root) owns every database
// made here; `gateway_pw` logs in with a password only (scram-sha-256), for PGPASSWORD/PGPASSFILE.
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'

/** The newest PostgreSQL Debian installed (/usr/lib/postgresql/VERSION/bin), or undefined. */
export function postgresBin() {
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base)
    .filter((v) => /^[0-9]+$/.test(v) && existsSync(join(base, v, 'bin/initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(base, versions[0], 'bin')
}

/** @typedef {Awaited<ReturnType<typeof startPostgres>>} Postgres */

/**
 * Makes and starts a cluster. Throws (with initdb's or pg_ctl's own words) when it cannot.
 * @param {{ database?: string }} [options] the first database made (owned by `root`)
 */
export async function startPostgres({ database = 'wgt' } = {}) {
  const bin = postgresBin()
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install --no-install-recommends postgresql')
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'wgt-pg-'))
  const owner = asRoot ? execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim() : undefined
  const ownerGid = asRoot ? execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim() : undefined
  // The socket folder must be reachable by root's gateways and by the server's user.
  chmodSync(dir, 0o755)
  if (owner !== undefined) chownSync(dir, Number(owner), Number(ownerGid))
  const data = join(dir, 'data')
  const log = join(dir, 'server.log')
  const superuser = asRoot ? 'postgres' : userInfo().username
  /** Runs a PostgreSQL program as the cluster's owner; returns its output, throws with its stderr. */
  const asOwner = (/** @type {string} */ program, /** @type {string[]} */ args, input = '') => {
    const argv = asRoot
      ? ['runuser', '-u', 'postgres', '--', join(bin, program), ...args]
      : [join(bin, program), ...args]
    const r = spawnSync(argv[0] ?? '', argv.slice(1), {
      cwd: dir,
      input,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' }
    })
    if (r.status !== 0) {
      throw new Error(`${program} ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim()}`)
    }
    return r.stdout
  }
  const cleanup = () => rmSync(dir, { recursive: true, force: true })
  try {
    asOwner('initdb', [
      '-D',
      data,
      '-U',
      superuser,
      '--auth-local=peer',
      '--auth-host=reject',
      '-E',
      'UTF8',
      '--no-sync'
    ])
    // Unix socket only; settings for a small, disposable cluster.
    writeFileSync(
      join(data, 'postgresql.auto.conf'),
      [
        "listen_addresses = ''",
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'shared_buffers = 32MB',
        'max_connections = 200',
        ''
      ].join('\n')
    )
    writeFileSync(
      join(data, 'pg_hba.conf'),
      ['local all gateway_pw scram-sha-256', 'local all all peer', ''].join('\n')
    )
  } catch (err) {
    cleanup()
    throw err
  }
  const start = () => asOwner('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', 'start'])
  const stop = () => asOwner('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'])
  /** Runs SQL as the superuser (one psql, ON_ERROR_STOP); returns its unaligned output. */
  const psql = (/** @type {string} */ sql, db = 'postgres') =>
    asOwner('psql', ['-h', dir, '-U', superuser, '-d', db, '-v', 'ON_ERROR_STOP=1', '-Atq', '-f', '-'], sql)
  const password = randomBytes(12).toString('hex')
  try {
    start()
    psql(`CREATE ROLE root LOGIN; CREATE ROLE gateway_pw LOGIN PASSWORD '${password}';`)
    psql(`CREATE DATABASE ${database} OWNER root;`)
  } catch (err) {
    try {
      stop()
    } catch {
      // Not started.
    }
    cleanup()
    throw err
  }

  /** The postmaster of this data folder, from its postmaster.pid (undefined when not running). */
  const postmaster = () => {
    try {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      return cmd.includes(data) ? pid : undefined
    } catch {
      return undefined
    }
  }

  return {
    dir,
    /** The socket folder: `host` in a connection string. */
    socketDir: dir,
    /** The server's log (for a failing test's message). */
    log,
    password,
    /**
     * A connection string for `role` (peer authentication for `root`) to database `db`, as libpq
     * and node-postgres read it: `postgres://ROLE@/DB?host=SOCKET-DIR`.
     */
    url: (db = database, role = 'root') => `postgres://${role}@/${db}?host=${encodeURIComponent(dir)}`,
    /** Makes another database owned by `root` (a fresh one per test file) and returns its URL. */
    createDatabase: (/** @type {string} */ name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`)
      psql(`CREATE DATABASE ${name} OWNER root;`)
      return `postgres://root@/${name}?host=${encodeURIComponent(dir)}`
    },
    psql,
    /** Stops the server (fast: sessions are ended, as when the database host goes away). */
    stop,
    /** Starts it again, on the same socket. */
    start,
    running: () => postmaster() !== undefined,
    /** Stops the server (if running) and removes the folder. Never throws. */
    close: () => {
      try {
        if (postmaster() !== undefined) stop()
      } catch {
        const pid = postmaster()
        if (pid !== undefined) {
          try {
            process.kill(pid, 'SIGQUIT')
          } catch {
            // Gone meanwhile.
          }
        }
      }
      cleanup()
    }
  }
}

/**
 * The store the gateway's end-to-end files run their gateways on: SQLite beside each gateway (the
 * default), or with WGT_GATEWAY_STORE=postgres a PostgreSQL cluster of the file's own.
 * `state(dir)` is what goes into a gateway's configuration: nothing for SQLite (startGateway's file
 * in the gateway's directory); for PostgreSQL a fresh database, or with `dir` (a gateway restarted
 * on its store) the database the gateway of that directory was started on (`bind`). `close()`
 * removes the cluster.
 */
export async function storeForTests() {
  const pg = process.env.WGT_GATEWAY_STORE === 'postgres' ? await startPostgres() : undefined
  /** @type {Map<string, string>} */
  const byDir = new Map()
  let n = 0
  return {
    kind: pg ? 'postgres' : 'sqlite',
    /**
     * @param {string} [dir]
     * @returns {{ state?: string }}
     */
    state: (dir) => {
      if (!pg) return {}
      return { state: (dir === undefined ? undefined : byDir.get(dir)) ?? pg.createDatabase(`gw_${++n}`) }
    },
    /** Remembers the database of the gateway started in `dir` (its `state` when a URL). */
    bind: (/** @type {string} */ dir, /** @type {unknown} */ state) => {
      if (pg && typeof state === 'string') byDir.set(dir, state)
    },
    close: () => pg?.close()
  }
}
