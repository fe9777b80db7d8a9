// Proving the tunnel works: a handshake with every peer that has an endpoint, then every `check`
// target, all within one deadline.
import * as net from 'node:net'
import type { Handshakes } from './backend/backend.js'
import type { Check } from './inputs/inputs.js'
import type { Peer as PeerConfig } from './inputs/tunnel.js'
import { canonicalAddress, contains, maxBits, parseAddress, type Prefix } from '../common/ip.js'
import { endpointText } from './host/plan.js'
import { run, type RunOptions } from './host/run.js'
import { sleep } from './host/probe.js'

/**
 * Waits for a handshake with every peer that has an endpoint; resolves with the keys still missing.
 * `stop`: polled between reads; true ends the wait early (what ran beside it failed).
 */
export async function waitForHandshakes(
  peers: readonly Pick<PeerConfig, 'publicKey' | 'endpoint'>[],
  read: () => Promise<Handshakes>,
  deadline: number,
  stop: () => boolean = () => false
): Promise<string[]> {
  const want = peers.filter((p) => p.endpoint).map((p) => p.publicKey)
  let every = 1
  for (;;) {
    const seen = want.length > 0 ? await read() : new Map<string, number>()
    const missing = want.filter((k) => !seen.get(k))
    if (missing.length === 0 || Date.now() >= deadline || stop()) return missing
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

/** Where the kernel would send a check's packets: the interface, or why there is no way at all. */
export interface CheckRoute {
  check: Check
  address: string
  /** The interface `ip route get` names (`lo` for an address of this runner). */
  dev?: string
  /** Its table, when not main (a full tunnel's policy table). */
  table?: string
  /** The address is this runner's own. */
  local?: boolean
  /** What `ip` said when it found no route. */
  error?: string
}

/** Every address a check may go to: its IP, or all that its name resolves to (a name that does not is left to the check). */
async function checkAddresses(check: Check): Promise<string[]> {
  const host = checkHost(check)
  const literal = canonicalAddress(host)
  if (literal !== undefined) return [literal]
  const { lookup } = await import('node:dns/promises')
  try {
    return (await lookup(host, { all: true })).map((a) => canonicalAddress(a.address) ?? a.address)
  } catch {
    return []
  }
}

/**
 * Asks the kernel which way each check's addresses would go, in one `ip -j -N -batch` of `route
 * get` lines, before any check runs; resolves with the first that would not leave through `iface`.
 * The question is asked as the checks will be sent: by this step's user (rules may match a uid)
 * and unmarked, so a full tunnel's `not fwmark` rule sends it into the tunnel's table, as it will
 * the checks (only WireGuard's own packets carry the mark). A check whose target does not go
 * through the tunnel proves nothing about it, and its traffic would leave unencrypted.
 */
export async function checkRoutes(
  checks: readonly Check[],
  ip: string,
  iface: string,
  limits: Pick<RunOptions, 'deadline'>
): Promise<CheckRoute | undefined> {
  const targets = (
    await Promise.all(checks.map(async (c) => (await checkAddresses(c)).map((a) => ({ check: c, address: a }))))
  ).flat()
  if (targets.length === 0) return undefined
  const r = await run([ip, '-j', '-N', '-batch', '-'], {
    input: targets.map((t) => `route get ${t.address}\n`).join(''),
    ...limits
  })
  return firstOutside(targets, r.stdout, r.stderr, iface)
}

/**
 * The first target whose route (`route get` output, one JSON line each, in order; a batch stops at
 * the first line that fails, and `ip` says which) does not leave through `iface`. Pure, for tests.
 */
export function firstOutside(
  targets: readonly { check: Check; address: string }[],
  stdout: string,
  stderr: string,
  iface: string
): CheckRoute | undefined {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '')
  const failedAt = Number(/Command failed -:([0-9]+)/.exec(stderr)?.[1] ?? 0)
  for (const [i, t] of targets.entries()) {
    if (failedAt === i + 1) {
      const said = stderr
        .split('\n')
        .find((l) => l.trim() !== '' && !/^Command failed/.test(l))
        ?.trim()
      return { ...t, error: said ?? 'no route' }
    }
    let route: { dev?: string; table?: string; type?: string } | undefined
    try {
      route = (JSON.parse(lines[i] ?? '[]') as (typeof route)[])[0]
    } catch {
      route = undefined
    }
    if (route === undefined) return { ...t, error: stderr.trim() || 'ip route get gave no answer' }
    if (route.dev === iface && route.type === undefined) continue
    const local = route.type === 'local' || route.type === '2'
    return { ...t, dev: route.dev, local, ...(route.table && route.table !== '254' ? { table: route.table } : {}) }
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
