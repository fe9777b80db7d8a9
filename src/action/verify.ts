// Proving the tunnel works: a handshake with every peer that has an endpoint, then every `check`
// target, all within one deadline.
import type { Handshakes } from './backend/backend.js'
import type { Check } from './inputs/inputs.js'
import type { Peer as PeerConfig } from './inputs/tunnel.js'
import { canonicalAddress, contains, maxBits, parseAddress, type Prefix } from '../common/ip.js'
import { endpointText } from './host/plan.js'
import { ipBatch, type Answer } from './host/batch.js'
import { tableNumber } from './host/readback.js'
import { run, type RunOptions } from './host/run.js'
import { sleep } from './host/probe.js'

/** Waits for a handshake with every peer that has an endpoint; resolves with the keys still missing. */
export async function waitForHandshakes(
  peers: readonly Pick<PeerConfig, 'publicKey' | 'endpoint'>[],
  read: () => Promise<Handshakes>,
  deadline: number
): Promise<string[]> {
  const want = peers.filter((p) => p.endpoint).map((p) => p.publicKey)
  let every = 1
  for (;;) {
    const seen = want.length > 0 ? await read() : new Map<string, number>()
    const missing = want.filter((k) => !seen.get(k))
    if (missing.length === 0 || Date.now() >= deadline) return missing
    await sleep(Math.min(every, deadline - Date.now()))
    every = Math.min(every * 2, 100)
  }
}

export function checkLabel(check: Check): string {
  switch (check.kind) {
    case 'icmp':
      return `ping ${check.host}`
    case 'tcp':
      return `TCP ${endpointText(check.host, check.port)}`
    case 'http':
      return `${check.url.startsWith('https:') ? 'HTTPS' : 'HTTP'} ${check.url}`
  }
}

/** The host a check goes to: an IP address or a name, brackets off. */
function checkHost(check: Check): string {
  return check.kind === 'http' ? new URL(check.url).hostname.replace(/^\[|\]$/g, '') : check.host
}

/** A check's target address, as asked of the kernel. */
export interface Target {
  check: Check
  address: string
}

/** Where the kernel would send a check's packets: the interface, or why there is no way at all. */
export interface CheckRoute extends Target {
  /** The interface `ip route get` names (`lo` for an address of this runner). */
  dev?: string
  /** Its table, when not main (a full tunnel's policy table). */
  table?: string
  /** The address is this runner's own. */
  local?: boolean
  /** What `ip` said when it found no route. */
  error?: string
}

/** The targets of the checks that go to an IP address: their route can be asked before any name resolves. */
export function addressTargets(checks: readonly Check[]): Target[] {
  return checks.flatMap((check) => {
    const address = canonicalAddress(checkHost(check))
    return address === undefined ? [] : [{ check, address }]
  })
}

/**
 * The question for one target, asked as the check will be sent: by this step's user (`uid`: rules
 * may match it, and the question may go through sudo) and unmarked, so a full tunnel's `not fwmark`
 * rule sends it into the tunnel's table as it will the check (only WireGuard's own packets carry
 * the mark). A check whose target does not go through the tunnel proves nothing about it, and its
 * traffic would leave unencrypted.
 */
export const routeQuestion = (t: Target, uid = process.getuid?.() ?? 0): string => `route get ${t.address} uid ${uid}`

/** Every address a check of a name may go to: all that the name resolves to (one that does not is left to the check). */
async function nameTargets(checks: readonly Check[]): Promise<Target[]> {
  const named = checks.filter((c) => canonicalAddress(checkHost(c)) === undefined)
  if (named.length === 0) return []
  const { lookup } = await import('node:dns/promises')
  const found = await Promise.all(
    named.map(async (check) => {
      try {
        return (await lookup(checkHost(check), { all: true })).map((a) => ({
          check,
          address: canonicalAddress(a.address) ?? a.address
        }))
      } catch {
        return []
      }
    })
  )
  return found.flat()
}

/**
 * Asks the kernel the way to every address the checks of a name resolve to (after the handshake:
 * the tunnel may carry the DNS), in one `ip` batch; resolves with the first that would not leave
 * through `iface`. (Checks of an address are asked on bring-up's own batches, up.ts.)
 */
export async function checkNameRoutes(
  checks: readonly Check[],
  ip: string,
  iface: string,
  limits: Pick<RunOptions, 'deadline'>
): Promise<CheckRoute | undefined> {
  const targets = await nameTargets(checks)
  if (targets.length === 0) return undefined
  const { answers } = await ipBatch(ip, [], { change: [], ask: targets.map((t) => routeQuestion(t)) }, limits)
  return firstOutside(targets, answers, iface)
}

/**
 * The first target whose answer (batch.ts: a route, or what `ip` said when it had none) does not
 * leave through `iface`. A target left unanswered (the batch stopped earlier) is said so. Pure.
 */
export function firstOutside(
  targets: readonly Target[],
  answers: readonly Answer[],
  iface: string
): CheckRoute | undefined {
  for (const [i, t] of targets.entries()) {
    const a = answers[i]
    if (a === undefined) return { ...t, error: 'ip route get gave no answer' }
    if ('error' in a) return { ...t, error: a.error }
    const { dev, table, type } = a.route as { dev?: string; table?: string; type?: string }
    if (dev === iface && type === undefined) continue
    const local = type === 'local'
    return { ...t, dev, local, ...(tableNumber(table) === 254 ? {} : { table }) }
  }
  return undefined
}

/** Whether one of the allowed IPs covers the address. */
export function coveredBy(allowedIps: readonly Prefix[], address: string): boolean {
  const parsed = parseAddress(address)
  if (!parsed) return false
  const host: Prefix = { family: parsed.family, address, bits: maxBits(parsed.family) }
  return allowedIps.some((p) => contains(p, host))
}

function tcpOnce(host: string, port: number, ms: number): Promise<string | undefined> {
  // node:net is loaded at first use, not at the step's start (see host/run.ts).
  const net = process.getBuiltinModule('node:net')
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: ms })
    const done = (err?: string): void => {
      socket.destroy()
      resolve(err)
    }
    socket.once('connect', () => done())
    socket.once('timeout', () => done(`no answer within ${ms} ms`))
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message))
  })
}

/**
 * Any HTTP response proves the path. A plain request over a socket (TLS for https) keeps Node's
 * HTTP client, slow to load, off the bring-up path; certificates are not judged (private CAs are
 * common).
 */
async function httpOnce(href: string, ms: number): Promise<string | undefined> {
  const url = new URL(href)
  const secure = url.protocol === 'https:'
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const port = Number(url.port || (secure ? 443 : 80))
  const net = process.getBuiltinModule('node:net')
  const tls = secure ? await import('node:tls') : undefined
  return new Promise((resolve) => {
    const socket = tls
      ? tls.connect({
          host,
          port,
          servername: net.isIP(host) ? undefined : host,
          rejectUnauthorized: false,
          timeout: ms
        })
      : net.connect({ host, port, timeout: ms })
    let head = ''
    const done = (err?: string): void => {
      socket.destroy()
      resolve(err)
    }
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      socket.write(
        `HEAD ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: wireguard-tunnel-check\r\nConnection: close\r\n\r\n`
      )
    })
    socket.on('data', (d: Buffer) => {
      head += d.toString('latin1')
      if (head.length >= 5) done(head.startsWith('HTTP/') ? undefined : 'the answer was not HTTP')
    })
    socket.once('end', () =>
      done(head.startsWith('HTTP/') ? undefined : 'the connection closed without an HTTP answer')
    )
    socket.once('timeout', () => done(`no answer within ${ms} ms`))
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message))
  })
}

async function pingOnce(host: string, ms: number): Promise<string | undefined> {
  const r = await run(['ping', '-n', '-c', '1', '-W', String(Math.max(1, Math.ceil(ms / 1000))), host], {
    timeoutMs: ms + 200
  })
  if (r.code === 0) return undefined
  return r.stderr.trim().split('\n').pop() || 'no echo reply'
}

function attempt(check: Check, ms: number): Promise<string | undefined> {
  switch (check.kind) {
    case 'icmp':
      return pingOnce(check.host, ms)
    case 'tcp':
      return tcpOnce(check.host, check.port, ms)
    case 'http':
      return httpOnce(check.url, ms)
  }
}

export interface CheckResult {
  check: Check
  ok: boolean
  ms: number
  /** The last reason it failed. */
  reason?: string
}

/** Tries a check until it answers or the deadline passes. */
export async function runCheck(check: Check, deadline: number): Promise<CheckResult> {
  const start = Date.now()
  let reason = 'not tried'
  for (;;) {
    const left = deadline - Date.now()
    if (left <= 0) return { check, ok: false, ms: Date.now() - start, reason }
    const failure = await attempt(check, Math.min(left, 2000))
    if (failure === undefined) return { check, ok: true, ms: Date.now() - start }
    reason = failure
    await sleep(Math.min(100, deadline - Date.now()))
  }
}
