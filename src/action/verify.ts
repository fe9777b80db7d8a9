// Proving the tunnel works: a handshake with every peer that has an endpoint, then every `check`
// target, all within one deadline.
import type { Handshakes } from './backend/backend.js'
import type { Check } from './inputs/inputs.js'
import type { Peer as PeerConfig } from './inputs/tunnel.js'
import { endpointText } from './host/plan.js'
import { run } from './host/run.js'
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
