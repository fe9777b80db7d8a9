// The operators' control socket: a unix socket that only root can open (the socket 0600 in a directory
// that only its owner can write), through which the command-line interface (cli.ts) lists, shows and
// revokes leases and drains the gateway. HTTP with JSON over the socket. Node cannot read the peer's
// credentials (SO_PEERCRED), so the file modes are the whole check: the gateway refuses to serve in a
// directory that others can write. Every request is audited (`operator.*`, client "control socket").
import { lstatSync, mkdirSync, statSync, unlinkSync, chmodSync } from 'node:fs'
import { createConnection } from 'node:net'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { dirname } from 'node:path'
import { errorText } from '../../common/errors.js'
import type { Audit } from '../audit.js'
import type { Gate } from '../limits/gate.js'
import type { Interface, Leases } from '../leases/leases.js'
import type { Lease, Store } from '../leases/store.js'
import type { FleetDb } from '../fleet/fleet.js'

/** Who the audit says acted through the socket. */
const OPERATOR = 'control socket'

/** A lease as the socket shows it (times as ISO text; `latestHandshake` null before the first). */
export interface LeaseView {
  id: string
  repository: string
  repositoryId: string
  runId: string
  workflowRef: string
  rule: number
  publicKey: string
  addresses: string[]
  createdAt: string
  expiresAt: string
  latestHandshake: string | null
  endedAt?: string
  endReason?: string
  /** With PostgreSQL state: the name of the gateway holding the lease (`name:`). */
  gateway?: string
  /** With PostgreSQL state: false for a lease of another gateway (its handshake is not read here). */
  local?: boolean
}

/** With PostgreSQL state: this gateway in its fleet, and the fleet's view of the database. */
export interface FleetDeps {
  /** This gateway's public key and name. */
  self: string
  name: string
  db: FleetDb
}

/** What `revoke` selects: one lease, or every live lease of a repository (name or id) or of a run. */
export type Selector = { id: string } | { repository: string } | { run: string }

interface Deps {
  leases: Leases
  store: Store
  wg: Interface
  gate: Gate
  audit: Audit
  fleet?: FleetDeps
}

const iso = (ms: number): string => new Date(ms).toISOString()

function view(l: Lease, handshake: number | undefined): LeaseView {
  return {
    id: l.id,
    repository: l.repository,
    repositoryId: l.repositoryId,
    runId: l.runId,
    workflowRef: l.workflowRef,
    rule: l.rule,
    publicKey: l.publicKey,
    addresses: l.addresses,
    createdAt: iso(l.createdAt),
    expiresAt: iso(l.expiresAt),
    latestHandshake: handshake ? iso(handshake * 1000) : null,
    ...(l.endedAt === undefined ? {} : { endedAt: iso(l.endedAt), endReason: l.endReason })
  }
}

/** True when a live lease is one `selector` names. Pure. */
export function selects(selector: Selector, l: Lease): boolean {
  if ('id' in selector) return l.id === selector.id
  if ('repository' in selector) return l.repository === selector.repository || l.repositoryId === selector.repository
  return l.runId === selector.run
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (d: string) => {
      text += d
      if (text.length > 4096) req.destroy(new Error('the request is over 4 KiB'))
    })
    req.on('end', () => {
      try {
        resolve(text ? JSON.parse(text) : {})
      } catch {
        reject(new Error('the request is not JSON'))
      }
    })
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function selector(body: unknown): Selector | undefined {
  const b = (body ?? {}) as Record<string, unknown>
  const given = (['id', 'repository', 'run'] as const).filter((k) => typeof b[k] === 'string' && b[k] !== '')
  if (given.length !== 1) return undefined
  const k = given[0] as 'id' | 'repository' | 'run'
  return { [k]: b[k] as string } as Selector
}

function handler(d: Deps): (req: IncomingMessage, res: ServerResponse) => void {
  const live = (): Lease[] => d.store.open().filter((l) => l.endedAt === undefined)
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '/'
    const show = /^\/leases\/([0-9a-f-]{1,64})$/.exec(path)
    if (req.method === 'GET' && path === '/leases') {
      const peers = await d.wg.peers(true)
      const here = live().map((l) => view(l, peers.get(l.publicKey)?.latestHandshake))
      if (!d.fleet) {
        d.audit('operator.list', { client: OPERATOR, leases: here.length })
        return send(res, 200, { draining: d.gate.draining, leases: here })
      }
      const f = d.fleet
      let leases = here.map((l) => ({ ...l, gateway: f.name, local: true }))
      let partial: string | undefined
      try {
        const others = (await f.db.live()).filter((l) => l.gatewayKey !== f.self)
        leases = [...leases, ...others.map((l) => ({ ...view(l, undefined), gateway: l.gatewayName, local: false }))]
        leases.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
      } catch (err) {
        partial = `only this gateway's leases: the database cannot be read (${errorText(err)})`
      }
      d.audit('operator.list', { client: OPERATOR, leases: leases.length, reason: partial })
      return send(res, 200, { draining: d.gate.draining, leases, ...(partial ? { partial } : {}) })
    }
    if (req.method === 'GET' && show) {
      const l = await d.store.get(show[1] as string)
      d.audit('operator.show', { client: OPERATOR, lease: show[1], status: l ? 200 : 404 })
      if (!l) return send(res, 404, { error: `no lease ${show[1]} (ended leases are kept for 7 days)` })
      const peer = l.endedAt === undefined ? (await d.wg.peers(true)).get(l.publicKey) : undefined
      return send(res, 200, view(l, peer?.latestHandshake))
    }
    if (req.method === 'POST' && path === '/revoke') {
      const sel = selector(await readJson(req))
      if (!sel) return send(res, 400, { error: 'give exactly one of "id", "repository", "run"' })
      const chosen = live().filter((l) => selects(sel, l))
      const revoked: string[] = []
      for (const l of chosen) if (await d.leases.revoke(l.id, OPERATOR)) revoked.push(l.id)
      const [by, value] = Object.entries(sel)[0] as [string, string]
      // With PostgreSQL, the other gateways' leases too: ended in the database, their owner notified.
      let problem: string | undefined
      if (d.fleet && !('id' in sel && revoked.length > 0))
        problem = await revokeElsewhere(d.fleet, sel, revoked, d.audit).catch(
          (err: unknown) => `the database cannot be reached (${errorText(err)})`
        )
      d.audit('operator.revoke', { client: OPERATOR, reason: `revoke by ${by} ${value}`, count: revoked.length })
      if (problem)
        return send(res, 503, {
          error: `${problem}: revoked ${revoked.length} lease(s) of this gateway only`,
          revoked
        })
      if ('id' in sel && revoked.length === 0) return send(res, 404, { error: `no live lease ${sel.id}` })
      return send(res, 200, { revoked })
    }
    if (req.method === 'POST' && (path === '/drain' || path === '/undrain')) {
      d.gate.draining = path === '/drain'
      d.audit(`operator.${path.slice(1)}`, { client: OPERATOR, leases: d.leases.liveCount() })
      return send(res, 200, { draining: d.gate.draining, leases: d.leases.liveCount() })
    }
    send(res, 404, { error: 'no such command' })
  }
  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      d.audit('error', { client: OPERATOR, reason: `control socket: ${errorText(err)}` })
      if (!res.headersSent) send(res, 500, { error: errorText(err) })
    })
  }
}

/**
 * Ends the live leases of other gateways that `sel` names, in the database, each with a notice to its
 * owner (which takes the peer off); adds their ids to `revoked`. Throws when the database cannot be read.
 */
async function revokeElsewhere(f: FleetDeps, sel: Selector, revoked: string[], audit: Audit): Promise<undefined> {
  const theirs = (await f.db.live()).filter((l) => l.gatewayKey !== f.self && selects(sel, l))
  for (const l of theirs) {
    if ((await f.db.endAndNotify(l.id, 'revoked', Date.now())) === undefined) continue
    revoked.push(l.id)
    audit('fleet.revoke-sent', { client: OPERATOR, lease: l.id, gateway: l.gatewayName, repository: l.repository })
  }
  return undefined
}

/** Resolves true when something accepts connections on the unix socket `path`. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path)
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

/**
 * Serves the control socket at `path`: makes its directory (0700) if missing, refuses one that others
 * can write or a path that is not a socket, refuses to start while another process answers on it
 * (another gateway for this interface), removes a stale one, and leaves the socket 0600.
 */
export async function serveControl(path: string, deps: Deps): Promise<Server> {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const st = statSync(dir)
  if ((st.mode & 0o022) !== 0 || st.uid !== process.getuid?.())
    throw new Error(
      `control-socket: the directory ${dir} can be written by others (mode ${(st.mode & 0o777).toString(8)}, owner ${st.uid}); give a directory only this user can write, such as /run/wireguard-gateway`
    )
  let existing: ReturnType<typeof lstatSync> | undefined
  try {
    existing = lstatSync(path)
  } catch {
    existing = undefined
  }
  if (existing) {
    if (!existing.isSocket()) throw new Error(`control-socket: ${path} exists and is not a socket; remove it`)
    if (await answers(path))
      throw new Error(
        `control-socket: another process serves ${path} (another gateway for this interface?); stop it first`
      )
    unlinkSync(path)
  }
  const server = createServer(handler(deps))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => resolve())
  })
  chmodSync(path, 0o600)
  return server
}
