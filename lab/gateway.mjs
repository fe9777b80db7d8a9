// @ts-check
// The gateway's lab, on top of lab/lab.mjs: a local OIDC issuer (jose keys; discovery and JWKS served
// inside a namespace) and a way to mint tokens with any claims, header or key; a lab CA and a server
// certificate for the gateway's TLS; the bundled gateway started in a namespace with a given
// configuration and stopped by the pid started here; a stand-in for the runner's token service; a
// client that sends requests from inside a namespace; tinyproxy, a real HTTP proxy; and readers of
// the gateway's command line and nftables table. Every helper returns something with `stop()` (or a
// `dir` to remove); each kills only the process group it started.
import { spawn, spawnSync, execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose'
import { stringify } from 'yaml'
import { ENDPOINT_NAME, genKey, NODE24, PORT, pubKey, ROOT, SERVER_IP, SERVER_IP6, sh } from './lab.mjs'

export const GATEWAY = join(ROOT, 'dist/gateway/index.js')
const CHILD = join(ROOT, 'lab/gateway-child.mjs')
export const ISSUER_PORT = 9000
export const TOKEN_SERVICE_PORT = 9001
/** Not 8443: the lab's private service listens there. */
export const GATEWAY_PORT = 9443
export const AUDIENCE = `https://${ENDPOINT_NAME}:${GATEWAY_PORT}`

/** @import { ChildProcess, ChildProcessByStdio } from 'node:child_process' */
/** @import { Readable, Writable } from 'node:stream' */
/** @import { Lab } from './network.mjs' */

/** @typedef {Awaited<ReturnType<typeof newKey>>} LabKey */
/** @typedef {Awaited<ReturnType<typeof startIssuer>>} Issuer */
/** @typedef {Awaited<ReturnType<typeof startTokenService>>} TokenService */
/** @typedef {ReturnType<typeof createLabCA>} LabCA */

/**
 * What `issuer.mint` puts in a token (see there).
 * @typedef {object} MintOptions
 * @property {Record<string, unknown>} [claims]
 * @property {string | string[]} [aud]
 * @property {string} [iss]
 * @property {number} [iat]
 * @property {number} [nbf]
 * @property {number} [exp]
 * @property {number} [expiresIn]
 * @property {string} [kid]
 * @property {LabKey} [key]
 * @property {'RS256' | 'none' | 'HS256-public'} [alg]
 * @property {string} [jti]
 */

/**
 * One line of the gateway's audit log as parsed JSON (`not-json` with the raw `line` otherwise).
 * @typedef {{ event: string, [field: string]: any }} AuditLine
 */

/**
 * A gateway started by startGateway.
 * @typedef {object} Gateway
 * @property {number | undefined} pid
 * @property {ChildProcessByStdio<null, Readable, Readable>} child
 * @property {string} dir its state directory
 * @property {string} statePath where its store is, as the gateway sees it
 * @property {string | undefined} tmpfs with `tmpfs`: the gateway's own tmpfs holding its store, as
 *   this process reaches it (through /proc/PID/root, into the gateway's mount namespace)
 * @property {Record<string, unknown>} config
 * @property {string} configFile the file it was started with (writeGatewayConfig changes it)
 * @property {AuditLine[]} audit the audit lines so far
 * @property {string} stdout
 * @property {string} stderrText
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} exited
 * @property {(pred: (line: AuditLine) => unknown, what?: string, ms?: number) => Promise<AuditLine>} waitAudit
 * @property {(ms?: number) => Promise<{ code: number | null, signal: NodeJS.Signals | null, ms: number }>} stop
 * @property {() => void} remove
 */

/**
 * A request for requestFrom, and its answer (`status` 0 and `error` when none came; `body` parsed
 * JSON when it is, else text).
 * @typedef {{ method?: string, url: string, headers?: Record<string, string>, body?: string }} LabRequest
 * @typedef {{ status: number, body?: any, error?: string, ms: number }} LabResponse
 */

/** Claims like those of a GitHub Actions token for octo/app (owner id 1234, repository id 5678). */
export function githubClaims(/** @type {Record<string, unknown>} */ extra = {}) {
  return {
    sub: 'repo:octo/app:ref:refs/heads/main',
    repository: 'octo/app',
    repository_id: '5678',
    repository_owner: 'octo',
    repository_owner_id: '1234',
    ref: 'refs/heads/main',
    run_id: '4242',
    workflow_ref: 'octo/app/.github/workflows/ci.yml@refs/heads/main',
    event_name: 'push',
    ...extra
  }
}

/**
 * Starts a lab child (issuer, token-service, client) in `ns`; resolves when it printed `ready`.
 * @param {string} ns
 * @param {string} mode
 * @param {number} port
 * @param {unknown} settings
 * @param {Record<string, string>} [env]
 */
function startChild(ns, mode, port, settings, env = {}) {
  const child = spawn('ip', ['netns', 'exec', ns, NODE24, CHILD, mode, String(port)], {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH, ...env }
  })
  child.stdin.write(`${JSON.stringify(settings)}\n`)
  const ready = new Promise((resolve, reject) => {
    child.stdout.once('data', resolve)
    child.once('exit', (code) => reject(new Error(`lab ${mode} in ${ns} exited (${code})`)))
  })
  const stop = () => killGroup(child)
  return { child, ready: ready.then(() => undefined), stop }
}

/**
 * Kills the process group of a child started here (detached), and waits (bounded) for it to exit.
 * @param {ChildProcess} child
 * @param {NodeJS.Signals} [signal]
 */
async function killGroup(child, signal = 'SIGKILL', waitMs = 5000) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    try {
      process.kill(-(/** @type {number} */ (child.pid)), signal)
      /** @type {NodeJS.Timeout | undefined} */
      let timer
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, waitMs)))])
      clearTimeout(timer)
    } catch {
      /* gone already */
    }
  }
  // Our ends of its pipes would keep this process alive.
  for (const s of [child.stdin, child.stdout, child.stderr]) s?.destroy()
}

/**
 * An OIDC issuer at http://127.0.0.1:ISSUER_PORT inside `ns` (the gateway's namespace: an http://
 * issuer must be on loopback). `keys[0]` signs by default; `mint` makes tokens.
 */
export async function startIssuer(
  /** @type {string} */ ns,
  /** @type {{ port?: number, key?: LabKey }} */ { port = ISSUER_PORT, key } = {}
) {
  const url = `http://127.0.0.1:${port}`
  // `key`: another issuer's signing key, so that two namespaces' issuers at the same URL are one issuer.
  const first = key ?? (await newKey('lab-key-1'))
  const keys = [first]
  const jwks = () => ({ keys: keys.map((k) => k.publicJwk) })
  const proc = startChild(ns, 'issuer', port, { issuer: url, jwks: jwks() })
  try {
    await proc.ready
  } catch (err) {
    await proc.stop()
    throw err
  }
  const issuer = {
    url,
    keys,
    /** A key the issuer does not publish (for bad signatures and unknown kids). */
    stranger: await newKey('lab-key-unknown'),
    /**
     * A token. `opts`: claims (merged over githubClaims()), aud, iss, iat/nbf/exp (seconds since the
     * epoch; exp also as `expiresIn` seconds), kid, key (another key), alg: 'RS256' | 'none' |
     * 'HS256-public' (HMAC keyed with the issuer's public key: the classic confusion attack), jti.
     * @param {MintOptions} [opts]
     * @returns {Promise<string>}
     */
    async mint(opts = {}) {
      const now = Math.floor(Date.now() / 1000)
      const claims = { jti: opts.jti ?? randomUUID(), ...githubClaims(opts.claims) }
      const key = opts.key ?? first
      /**
       * @template {SignJWT | UnsecuredJWT} J
       * @param {J} jwt
       * @returns {J} the same builder, filled in
       */
      const fill = (jwt) =>
        /** @type {J} */ (
          jwt
            .setIssuer(opts.iss ?? url)
            .setAudience(opts.aud ?? AUDIENCE)
            .setIssuedAt(opts.iat ?? now)
            .setNotBefore(opts.nbf ?? now - 5)
            .setExpirationTime(opts.exp ?? now + (opts.expiresIn ?? 300))
        )
      if (opts.alg === 'none') return fill(new UnsecuredJWT(claims)).encode()
      if (opts.alg === 'HS256-public') {
        const pem = await exportSPKI(first.publicKey)
        return fill(new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: first.kid })).sign(
          new TextEncoder().encode(pem)
        )
      }
      return fill(new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? key.kid, typ: 'JWT' })).sign(
        key.privateKey
      )
    },
    /** Makes the key endpoint answer `status` instead of the keys (an outage); 0 restores it. */
    failKeys(/** @type {number} */ status) {
      proc.child.stdin.write(`${JSON.stringify({ jwksStatus: status })}\n`)
    },
    /** Publishes one more key (rotation); resolves with it. */
    async addKey(/** @type {string} */ kid) {
      const k = await newKey(kid)
      keys.push(k)
      proc.child.stdin.write(`${JSON.stringify({ jwks: jwks() })}\n`)
      return k
    },
    stop: proc.stop
  }
  return issuer
}

async function newKey(/** @type {string} */ kid) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  return { kid, publicKey, privateKey, publicJwk, privateJwk: { ...(await exportJWK(privateKey)), kid } }
}

/**
 * The runner's token service in `ns` at http://127.0.0.1:TOKEN_SERVICE_PORT: what a job sees as
 * ACTIONS_ID_TOKEN_REQUEST_URL (`env`) and ACTIONS_ID_TOKEN_REQUEST_TOKEN. `set({ claims, status,
 * skew })` changes what it answers (status: an HTTP error to answer with instead; skew: seconds its
 * clock is ahead of this host's, so that tokens are issued in the future by the gateway's clock).
 */
export async function startTokenService(
  /** @type {string} */ ns,
  /** @type {Issuer} */ issuer,
  /** @type {{ port?: number, claims?: Record<string, unknown>, host?: string }} */
  { port = TOKEN_SERVICE_PORT, claims = {}, host = '127.0.0.1' } = {}
) {
  const [first] = issuer.keys
  if (!first) throw new Error('the issuer has no key')
  const requestToken = `lab-request-token-${randomUUID()}`
  const settings = {
    requestToken,
    privateJwk: first.privateJwk,
    kid: first.kid,
    issuer: issuer.url,
    defaultAudience: 'https://github.com/octo',
    claims: githubClaims(claims),
    host
  }
  const proc = startChild(ns, 'token-service', port, settings)
  try {
    await proc.ready
  } catch (err) {
    await proc.stop()
    throw err
  }
  const url = `http://${host}:${port}/token?api-version=2.0`
  return {
    url,
    requestToken,
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken },
    /** @param {{ claims?: Record<string, unknown>, status?: number, skew?: number }} change */
    set(change) {
      const next = { ...change }
      if (change.claims) next.claims = githubClaims(change.claims)
      proc.child.stdin.write(`${JSON.stringify(next)}\n`)
    },
    stop: proc.stop
  }
}

/**
 * A lab CA and a server certificate for the gateway, a leaf as docs/gateway.md makes it (CA:FALSE,
 * digitalSignature, serverAuth; SANs: the server's underlay addresses, ENDPOINT_NAME, 127.0.0.1).
 * Returns paths, and `issue(name)`, which makes another such leaf (NAME-cert.pem, NAME-key.pem);
 * remove `dir` when done.
 */
export function createLabCA() {
  const dir = mkdtempSync(join(tmpdir(), 'wgt-ca-'))
  const f = (/** @type {string} */ n) => join(dir, n)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  /** `ips`: more IP addresses the leaf names (a second server's, say). */
  const issue = (/** @type {string} */ name, /** @type {string[]} */ ips = []) => {
    const certFile = f(`${name}-cert.pem`)
    const keyFile = f(`${name}-key.pem`)
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        ...ec,
        '-days',
        '1',
        '-subj',
        `/CN=${ENDPOINT_NAME}`,
        '-CA',
        f('ca.pem'),
        '-CAkey',
        f('ca.key'),
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-addext',
        `subjectAltName=DNS:${ENDPOINT_NAME},IP:${SERVER_IP},IP:${SERVER_IP6},IP:127.0.0.1${ips.map((ip) => `,IP:${ip}`).join('')}`,
        '-addext',
        'basicConstraints=critical,CA:FALSE',
        '-addext',
        'keyUsage=critical,digitalSignature',
        '-addext',
        'extendedKeyUsage=serverAuth'
      ],
      { stdio: 'ignore' }
    )
    return { certFile, keyFile }
  }
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        ...ec,
        '-days',
        '1',
        '-subj',
        '/CN=wgt lab CA',
        '-keyout',
        f('ca.key'),
        '-out',
        f('ca.pem'),
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign'
      ],
      { stdio: 'ignore' }
    )
    const { certFile, keyFile } = issue('gateway')
    return { dir, caFile: f('ca.pem'), certFile, keyFile, issue }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

/**
 * One more server certificate from the lab CA, for the same names, valid only between `startdate`
 * and `enddate` (OpenSSL's YYYYMMDDHHMMSSZ): an expired one, say. `openssl req -x509` cannot date a
 * certificate in the past, so this uses `openssl ca` with a configuration in the CA's directory.
 * Returns the paths of its key and certificate (inside `ca.dir`).
 * @param {LabCA} ca
 * @param {string} name file name stem
 * @param {{ startdate: string, enddate: string }} dates
 */
export function labLeaf(ca, name, { startdate, enddate }) {
  const f = (/** @type {string} */ n) => join(ca.dir, n)
  const db = f(`${name}.db`)
  writeFileSync(db, '')
  writeFileSync(`${db}.attr`, 'unique_subject = no\n')
  writeFileSync(f(`${name}.serial`), `${Date.now().toString(16).padStart(16, '0')}\n`)
  const config = ['[ca]', 'default_ca = lab', '[lab]', `database = ${db}`, `new_certs_dir = ${ca.dir}`]
    .concat([`serial = ${f(`${name}.serial`)}`, 'default_md = sha256', 'policy = any', 'copy_extensions = copy'])
    .concat(['[any]', 'commonName = supplied', ''])
  writeFileSync(f(`${name}.cnf`), config.join('\n'))
  const sans = `subjectAltName=DNS:${ENDPOINT_NAME},IP:${SERVER_IP},IP:${SERVER_IP6},IP:127.0.0.1`
  execFileSync(
    'openssl',
    ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${ENDPOINT_NAME}`]
      .concat(['-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-addext', sans])
      .concat(['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth']),
    { stdio: 'ignore' }
  )
  execFileSync(
    'openssl',
    ['ca', '-batch', '-notext', '-config', f(`${name}.cnf`), '-cert', ca.caFile, '-keyfile', f('ca.key')].concat([
      '-in',
      f(`${name}.csr`),
      '-out',
      f(`${name}.pem`),
      '-startdate',
      startdate,
      '-enddate',
      enddate
    ]),
    { stdio: 'ignore' }
  )
  return { certFile: f(`${name}.pem`), keyFile: f(`${name}.key`) }
}

/** A gateway configuration (YAML keys) for a createLab() lab, TLS on the server's underlay address. */
export function gatewayConfig(
  /** @type {Lab} */ lab,
  /** @type {Issuer} */ issuer,
  /** @type {LabCA} */ ca,
  /** @type {Record<string, unknown>} */ extra = {}
) {
  return {
    listen: `${SERVER_IP}:${GATEWAY_PORT}`,
    tls: { cert: ca.certFile, key: ca.keyFile },
    interface: lab.serverIface,
    endpoint: `${SERVER_IP}:${PORT}`,
    pool: ['192.0.2.0/24', '2001:db8:1::/64'],
    'allowed-ips': ['192.0.2.0/24', '203.0.113.0/24'],
    issuer: issuer.url,
    audience: AUDIENCE,
    rules: [{ claims: { repository_owner_id: '1234', repository: 'octo/app', ref: 'refs/heads/*' } }],
    ...extra
  }
}

/**
 * Starts dist/gateway (Node 24) in `ns` with `config` (an object, written as YAML) and its state in a
 * fresh directory (or `stateDir`, to restart on the same store). With `tmpfs` (a size such as `4m`)
 * the store is on a tmpfs of that size mounted in the gateway's own mount namespace (gone with it;
 * fill it with fillDisk). `wrap` goes before Node on the command line (setpriv, say). Resolves once
 * it listens, with { pid, audit (parsed lines so far), stderr(), waitAudit(pred), stop() }.
 * @param {string} ns
 * @param {Record<string, unknown>} config
 * `started` tells the audit line that says it serves (default `gateway.started`; a standby's differs).
 * @param {{ stateDir?: string, tmpfs?: string, wrap?: string[], node?: string, started?: (line: AuditLine) => unknown }} [opts]
 * @returns {Promise<Gateway>}
 */
export async function startGateway(
  ns,
  config,
  { stateDir, tmpfs, wrap = [], node = NODE24, started = (l) => l.event === 'gateway.started' } = {}
) {
  const dir = stateDir ?? mkdtempSync(join(tmpdir(), 'wgt-gw-'))
  const stateDirIn = tmpfs ? join(dir, 'tmpfs') : dir
  if (tmpfs) mkdirSync(stateDirIn, { recursive: true })
  // The control socket beside the store (a 0700 directory of the test's own), not in /run.
  /** @type {Record<string, unknown>} */
  const cfg = { state: join(stateDirIn, 'leases.db'), 'control-socket': join(dir, 'control.sock'), ...config }
  const file = join(dir, `gateway-${process.pid}-${randomUUID().slice(0, 8)}.yml`)
  writeFileSync(file, stringify(cfg), { mode: 0o600 })
  const gatewayArgv = [...wrap, node, GATEWAY, '--config', file]
  // A private mount namespace of its own (unshare execs, so the pid stays the gateway's) with the tmpfs.
  const argv = tmpfs
    ? [
        'unshare',
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        'mount -t tmpfs -o "size=$1,mode=0700" wgt-state "$2" && shift 2 && exec "$@"',
        'sh',
        tmpfs,
        stateDirIn,
        ...gatewayArgv
      ]
    : gatewayArgv
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH }
  })
  // exited, waitAudit, stop and remove are set below, before anyone sees it.
  const gw = /** @type {Gateway} */ ({
    pid: child.pid,
    child,
    dir,
    statePath: String(cfg.state),
    configFile: file,
    tmpfs: tmpfs ? `/proc/${child.pid}/root${stateDirIn}` : undefined,
    config: cfg,
    audit: /** @type {AuditLine[]} */ ([]),
    stdout: '',
    stderrText: ''
  })
  /** @type {Set<() => void>} */
  const waiters = new Set()
  let buffered = ''
  child.stdout.setEncoding('utf8').on('data', (d) => {
    gw.stdout += d
    buffered += d
    let nl
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      try {
        gw.audit.push(JSON.parse(line))
      } catch {
        gw.audit.push({ event: 'not-json', line })
      }
      for (const w of waiters) w()
    }
  })
  child.stderr.setEncoding('utf8').on('data', (d) => (gw.stderrText += d))
  /** @type {Gateway['exited']} */
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  gw.exited = exited
  /** Resolves once the gateway exited and its output was read to the end. */
  const closed = new Promise((resolve) => child.once('close', resolve))
  /** Resolves with the first audit line that satisfies `pred` (bounded). */
  gw.waitAudit = (pred, what = 'an audit line', ms = 15000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const hit = gw.audit.find(pred)
        if (hit) {
          waiters.delete(check)
          clearTimeout(timer)
          resolve(hit)
        }
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`timed out waiting for ${what}; gateway stderr: ${gw.stderrText}`))
      }, ms)
      waiters.add(check)
      check()
      // A gateway that is gone (its output read to the end) writes no more lines.
      void closed.then(() => {
        if (!waiters.has(check)) return
        waiters.delete(check)
        clearTimeout(timer)
        reject(new Error(`the gateway exited before ${what}; gateway stderr: ${gw.stderrText}`))
      })
    })
  /** SIGTERM to the pid started here; SIGKILL to its group after `ms`. Resolves with exit and duration. */
  gw.stop = async (ms = 5000) => {
    const t = Date.now()
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(/** @type {number} */ (child.pid), 'SIGTERM')
      } catch {
        /* gone */
      }
      /** @type {NodeJS.Timeout | undefined} */
      let timer
      const r = await Promise.race([exited, new Promise((res) => (timer = setTimeout(() => res(undefined), ms)))])
      clearTimeout(timer)
      if (!r) await killGroup(child)
    }
    return { ...(await exited), ms: Date.now() - t }
  }
  gw.remove = () => rmSync(dir, { recursive: true, force: true })
  try {
    // Rejected at once when the gateway exits instead (waitAudit).
    await gw.waitAudit(started, 'the gateway to start')
  } catch (err) {
    const gone = child.exitCode !== null || child.signalCode !== null
    await gw.stop()
    if (!stateDir) gw.remove()
    throw gone ? new Error(`the gateway exited (${(await exited).code}): ${gw.stderrText}`) : err
  }
  return gw
}

/**
 * Sends requests from inside `ns` (a Node 24 client there), all at once (or one after another with
 * `sequential`); resolves with [{ status, body, ms }] in order. `env` may carry NODE_EXTRA_CA_CERTS.
 * @template {LabRequest[]} R
 * @param {string} ns
 * @param {[...R]} requests
 * @param {Record<string, string>} [env]
 * @returns {Promise<{ [K in keyof R]: LabResponse }>} one answer per request (a tuple for a tuple)
 */
export async function requestFrom(ns, requests, env = {}, { sequential = false } = {}) {
  const child = spawn('ip', ['netns', 'exec', ns, NODE24, CHILD, 'client'], {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...env }
  })
  child.stdin.end(`${JSON.stringify({ requests, sequential })}\n`)
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const timer = setTimeout(() => killGroup(child), 60000)
  const code = await new Promise((resolve) => child.once('exit', resolve))
  clearTimeout(timer)
  if (code !== 0) throw new Error(`the lab client failed (${code}): ${err}`)
  return JSON.parse(out)
}

/**
 * A slowloris client in `ns` (lab/gateway-child.mjs `flood`): keeps `count` silent connections to
 * host:port open, replacing each that closes. `settings` may add `probe` (a URL fetched from the same
 * address once `probeAfterCut` connections were cut). Resolves once started, with { state (the latest
 * `{open, cut, expired, opened}`), probe (the probe's answer, once there), until(pred, what), stop() }.
 * @param {string} ns
 * @param {Record<string, unknown>} settings
 * @param {Record<string, string>} [env]
 */
export async function startFlood(ns, settings, env = {}) {
  const proc = startChild(ns, 'flood', 0, settings, env)
  /**
   * @type {{ state: { open: number, cut: number, expired: number, opened: number }, probe?: { status: number, error?: string },
   *   until: (pred: (f: any) => boolean, what: string, ms?: number) => Promise<void>, stop: () => Promise<void> }}
   */
  const flood = /** @type {any} */ ({ state: { open: 0, cut: 0, expired: 0, opened: 0 }, probe: undefined })
  let buffered = ''
  proc.child.stdout.setEncoding('utf8').on('data', (d) => {
    buffered += d
    let nl
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, nl))
      buffered = buffered.slice(nl + 1)
      if (line.probe) flood.probe = line.probe
      else flood.state = line
    }
  })
  await proc.ready
  /** Polls (bounded) until `pred(flood)` holds. */
  flood.until = async (/** @type {(f: any) => boolean} */ pred, /** @type {string} */ what, ms = 15000) => {
    const end = Date.now() + ms
    while (!pred(flood)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; flood state ${JSON.stringify(flood.state)}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  flood.stop = proc.stop
  return flood
}

/**
 * A lease request for `publicKey` with `token`, to the gateway at `base`.
 * @param {string} base
 * @param {string} token
 * @param {string} publicKey
 * @param {Partial<LabRequest>} [extra]
 * @returns {LabRequest}
 */
export function leaseRequest(base, token, publicKey, extra = {}) {
  return {
    method: 'POST',
    url: `${base}/v1/leases`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ publicKey }),
    ...extra
  }
}

/**
 * The release of a lease (`DELETE /v1/leases/{id}` with its secret), to the gateway at `base`.
 * @param {string} base
 * @param {string} id
 * @param {string} secret
 * @returns {LabRequest}
 */
export function releaseRequest(base, id, secret) {
  return { method: 'DELETE', url: `${base}/v1/leases/${id}`, headers: { authorization: `Bearer ${secret}` } }
}

/** The gateway's peers on `iface` in `ns`: key → allowed IPs (sorted text), from `wg show dump`. */
export function peersOf(/** @type {string} */ ns, /** @type {string} */ iface) {
  const out = execFileSync('ip', ['netns', 'exec', ns, 'wg', 'show', iface, 'dump'], { encoding: 'utf8' })
  /** @type {Record<string, string>} */
  const peers = {}
  for (const line of out.trim().split('\n').slice(1)) {
    const [key, , , ips, ...rest] = line.split('\t')
    if (key !== undefined && ips !== undefined && rest.length >= 4)
      peers[key] = ips === '(none)' ? '' : ips.split(',').sort().join(',')
  }
  return peers
}

/**
 * Fills the gateway's tmpfs (startGateway's `tmpfs`) to the last byte with a file of its own, so
 * the store can no longer grow; returns a function that removes that file (disk space back).
 * @param {Gateway} gw
 */
export function fillDisk(gw) {
  if (!gw.tmpfs) throw new Error('fillDisk needs a gateway started with tmpfs')
  const path = join(gw.tmpfs, 'filler')
  const fd = openSync(path, 'w', 0o600)
  const chunk = Buffer.alloc(64 << 10)
  try {
    // Bounded: the tmpfs is a few MiB; stops at the first ENOSPC, then fills the rest byte-wise.
    for (let i = 0; i < 100_000; i++) writeSync(fd, chunk)
    throw new Error(`the tmpfs at ${gw.tmpfs} did not fill`)
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'ENOSPC') throw err
    for (const size of [4096, 512, 1])
      try {
        for (let i = 0; i < 100_000; i++) writeSync(fd, Buffer.alloc(size))
      } catch (e) {
        if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'ENOSPC') throw e
      }
  } finally {
    closeSync(fd)
  }
  return () => unlinkSync(path)
}

/**
 * Another process holding the write lock of the SQLite store at `path` (lab/gateway-child.mjs
 * `hold-store`, in `ns`); resolves once it holds it, with stop() (killed: the kernel frees the lock).
 */
export async function holdStore(/** @type {string} */ ns, /** @type {string} */ path) {
  const proc = startChild(ns, 'hold-store', 0, { path })
  try {
    await proc.ready
  } catch (err) {
    await proc.stop()
    throw err
  }
  return { stop: proc.stop }
}

/**
 * A second WireGuard interface (wireguard-go) in the lab's server namespace, with a key of its own,
 * listening on `port`; remove() deletes the link (wireguard-go then exits and removes its socket).
 * @param {Lab} lab
 * @param {string} name
 * @param {number} port
 */
export function addServerInterface(lab, name, port) {
  execFileSync('ip', ['netns', 'exec', lab.srv, 'wireguard-go', name], {
    env: { ...process.env, LOG_LEVEL: '' },
    stdio: 'ignore'
  })
  const key = genKey()
  const keyDir = mkdtempSync(join(tmpdir(), 'wgt-if-'))
  try {
    writeFileSync(join(keyDir, 'key'), key, { mode: 0o600 })
    sh([
      'ip',
      'netns',
      'exec',
      lab.srv,
      'wg',
      'set',
      name,
      'private-key',
      join(keyDir, 'key'),
      'listen-port',
      String(port)
    ])
    sh(['ip', '-n', lab.srv, 'link', 'set', 'up', 'dev', name])
  } catch (err) {
    sh(['ip', '-n', lab.srv, 'link', 'del', name])
    throw err
  } finally {
    rmSync(keyDir, { recursive: true, force: true })
  }
  return { iface: name, publicKey: pubKey(key), remove: () => sh(['ip', '-n', lab.srv, 'link', 'del', name]) }
}

/**
 * Writes `config` (the whole configuration, YAML keys) over the file the gateway was started with,
 * for a reload (SIGHUP); `gw.config` follows.
 * @param {Gateway} gw
 * @param {Record<string, unknown>} config
 */
export function writeGatewayConfig(gw, config) {
  writeFileSync(gw.configFile, stringify(config), { mode: 0o600 })
  gw.config = config
}

/**
 * Runs the gateway's command line (dist/gateway, Node 24) against a running gateway's control socket:
 * `gatewayCli(gw, 'leases', 'list')`. The socket is a file, so this runs in the host's namespace.
 * @param {Gateway} gw
 * @param {string[]} args
 * @returns {{ code: number | null, stdout: string, stderr: string }}
 */
export function gatewayCli(gw, ...args) {
  const r = spawnSync(NODE24, [GATEWAY, ...args, '--socket', String(gw.config['control-socket'])], {
    encoding: 'utf8',
    timeout: 30000,
    env: { PATH: process.env.PATH }
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/**
 * The nftables table `inet NAME` in `ns` as `nft -j` lists it (its items), or undefined when there is
 * no such table.
 * @param {string} ns
 * @param {string} name
 * @returns {Record<string, any>[] | undefined}
 */
export function nftTable(ns, name) {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'nft', '-j', 'list', 'table', 'inet', name], { encoding: 'utf8' })
  if (r.status !== 0) return undefined
  return JSON.parse(r.stdout).nftables.slice(1)
}

/**
 * The addresses a gateway's table lets send (its `from4` and `from6` maps), as `ADDRESS rule_N`
 * lines, sorted; undefined when there is no table.
 * @param {string} ns
 * @param {string} name
 */
export function nftLeases(ns, name) {
  const items = nftTable(ns, name)
  if (!items) return undefined
  return items
    .filter((i) => i.map && /^from[46]$/.test(i.map.name))
    .flatMap((i) => (i.map.elem ?? []).map((/** @type {any} */ [addr, verdict]) => `${addr} ${verdict.jump.target}`))
    .sort()
}

/** The gateway's table name for an interface (as src/gateway/firewall/plan.ts names it). */
export const gatewayTable = (/** @type {string} */ iface) =>
  `wgtunnel_gw_${iface.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`

/** Where the lab's proxy listens in its namespace (loopback). */
export const PROXY_PORT = 3128

/**
 * Debian's tinyproxy, a real HTTP proxy, in `ns` on 127.0.0.1:`port` (as a proxy on a self-hosted
 * runner's host), with its own configuration, pid file and log in a fresh directory. `connectPorts`,
 * when given, are the only ports it tunnels to (CONNECT to others: 403). Resolves once it listens,
 * with { url, log() (its log so far: one line per request, `CONNECT host:port` or `GET http://…`),
 * stop() (its process group, started here; then the directory is removed) }.
 * @param {string} ns
 * @param {{ port?: number, connectPorts?: number[] }} [opts]
 */
export async function startProxy(ns, { port = PROXY_PORT, connectPorts = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'wgt-proxy-'))
  const logFile = join(dir, 'tinyproxy.log')
  const conf = join(dir, 'tinyproxy.conf')
  const lines = [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 15', `LogFile "${logFile}"`, 'LogLevel Info']
    .concat([`PidFile "${join(dir, 'tinyproxy.pid')}"`, 'MaxClients 50', 'Allow 127.0.0.1'])
    .concat(connectPorts.map((p) => `ConnectPort ${p}`))
  writeFileSync(conf, `${lines.join('\n')}\n`)
  // -d: in the foreground, so that the process (group) started here is the proxy.
  const child = spawn('ip', ['netns', 'exec', ns, 'tinyproxy', '-d', '-c', conf], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8')
    } catch {
      return ''
    }
  }
  const stop = async () => {
    await killGroup(child, 'SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
  const end = Date.now() + 10000
  while (!log().includes('Starting main loop')) {
    if (child.exitCode !== null || Date.now() > end) {
      const why = `tinyproxy did not start in ${ns} (exit ${child.exitCode}): ${stderr}${log()}`
      await stop()
      throw new Error(why)
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  return { url: `http://127.0.0.1:${port}`, log, stop }
}
