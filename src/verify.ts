// Proving the tunnel works: a handshake with every peer that has an endpoint, then every `check`
// target, all within one deadline.
import * as http from 'node:http'
import * as https from 'node:https'
import * as net from 'node:net'
import type { Check, Config } from './config.js'
import { endpointText } from './plan.js'
import { run } from './run.js'
import { sleep } from './system.js'

/** `wg show IFACE latest-handshakes` output into public key → seconds since epoch (0: none yet). */
export function parseHandshakes(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    const [key, when] = line.trim().split(/\s+/)
    if (key && when && /^[0-9]+$/.test(when)) out.set(key, Number(when))
  }
  return out
}

/** Waits for a handshake with every peer that has an endpoint; resolves with the keys still missing. */
export async function waitForHandshakes(cfg: Config, wg: string, deadline: number): Promise<string[]> {
  const want = cfg.peers.filter((p) => p.endpoint).map((p) => p.publicKey)
  let every = 10
  for (;;) {
    const r = await run([wg, 'show', cfg.iface, 'latest-handshakes'], { root: true })
    const seen = parseHandshakes(r.stdout)
    const missing = want.filter((k) => !seen.get(k))
    if (missing.length === 0 || Date.now() >= deadline) return missing
    await sleep(Math.min(every, deadline - Date.now()))
    every = Math.min(Math.round(every * 1.5), 200)
  }
}

export function checkLabel(check: Check): string {
  switch (check.kind) {
    case 'icmp':
      return `ping ${check.host}`
    case 'tcp':
      return `TCP ${endpointText(check.host, check.port)}`
    case 'http':
      return `HTTP ${check.url}`
  }
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

function httpOnce(url: string, ms: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const lib = url.startsWith('https:') ? https : http
    // Any HTTP response proves the path; certificates are not judged (private CAs are common).
    const req = lib.get(url, { timeout: ms, rejectUnauthorized: false, headers: { 'user-agent': 'wireguard-tunnel-check' } }, (res) => {
      res.resume()
      req.destroy()
      resolve(undefined)
    })
    req.once('timeout', () => {
      req.destroy()
      resolve(`no answer within ${ms} ms`)
    })
    req.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message))
  })
}

async function pingOnce(host: string, ms: number): Promise<string | undefined> {
  const r = await run(['ping', '-n', '-c', '1', '-W', String(Math.max(1, Math.ceil(ms / 1000))), host], { timeoutMs: ms + 200 })
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
