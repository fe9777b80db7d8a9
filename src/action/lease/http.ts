// A small JSON-over-HTTP(S) client for the gateway and the runner's token service: node:http(s)
// (lighter to load than fetch), bounded by the step's deadline and by answer size. Certificates
// are judged by Node's store plus NODE_EXTRA_CA_CERTS, as for any Node program. Proxies are
// Node's own (an agent with `proxyEnv`, Node 24.5+): HTTPS_PROXY, HTTP_PROXY and NO_PROXY, lower
// case first, as the runner sets them on a self-hosted runner behind a proxy. `check:` targets
// never come here: they are inside the tunnel, reached over plain sockets (verify.ts).
import { isIPv4 } from 'node:net'
import { isLoopback } from '../../common/grammar.js'

export interface HttpAnswer {
  status: number
  text: string
  /** The body as JSON, when it is JSON. */
  json?: unknown
}

interface HttpOptions {
  method?: 'GET' | 'POST' | 'DELETE'
  headers?: Record<string, string>
  body?: string
  /** Epoch milliseconds by which the answer must be in. */
  deadline: number
  /** Where the proxy settings are read (tests give their own). */
  env?: NodeJS.ProcessEnv
}

/** Answers larger than this are cut: a lease is a few hundred bytes. */
const MAX_ANSWER = 64 * 1024

export async function httpRequest(url: URL, opts: HttpOptions): Promise<HttpAnswer> {
  const lib = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
  const ms = Math.max(1, opts.deadline - Date.now())
  // Its own agent for each request: proxy settings from the environment, no sockets kept.
  // A loopback host (the only place plain http:// may go) never goes through a proxy: the token
  // and the lease secret would cross the network in clear, to a proxy that could answer itself.
  const agent = new lib.Agent(isLoopback(url.hostname) ? {} : { proxyEnv: opts.env ?? process.env })
  return new Promise((resolve, reject) => {
    const headers = {
      ...opts.headers,
      ...(opts.body ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {})
    }
    const req = lib.request(url, { method: opts.method ?? 'GET', headers, timeout: ms, agent }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => {
        text += d
        if (text.length > MAX_ANSWER) req.destroy(new Error(`answer larger than ${MAX_ANSWER} bytes`))
      })
      res.on('end', () => {
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({ status: res.statusCode ?? 0, text, json })
      })
      res.on('error', reject)
    })
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })),
      ms
    )
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })))
    req.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    req.on('close', () => clearTimeout(timer))
    req.end(opts.body)
  })
}

/** Node's first release whose http(s) agents take `proxyEnv`. */
export const PROXY_NODE = [24, 5] as const

/** True when this Node's agents honour `proxyEnv` (older ones ignore it and go direct). */
export function nodeHasProxySupport(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  return major > PROXY_NODE[0] || (major === PROXY_NODE[0] && minor >= PROXY_NODE[1])
}

const ipv4Number = (ip: string): number => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0)

/**
 * The proxy a request to `url` goes through under `env`, or undefined when it goes direct: for
 * messages only (what failed, and where), since the routing is Node's own. Node's rules (24.5+,
 * lib/internal/http.js): `https_proxy` before `HTTPS_PROXY` for https:// (`http_proxy`,
 * `HTTP_PROXY` for http://), used only when it is an http:// or https:// URL; `no_proxy` before
 * `NO_PROXY`, a comma-separated list whose entries bypass the proxy when one is `*`, the host, the
 * host:port, `.suffix` or `*.suffix` of the host, or an IPv4 range `a.b.c.d-e.f.g.h` holding it.
 * Held to Node's behaviour by a differential unit test. Pure.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): string | undefined {
  const proxy = url.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY
  if (!proxy || !/^https?:\/\//.test(proxy)) return undefined
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  const bypass = (env.no_proxy || env.NO_PROXY || '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .some((e) => {
      if (e === '*' || e === host || e === `${host}:${port}`) return true
      if (e.startsWith('.') && (host === e.slice(1) || host.endsWith(e))) return true
      if (e.startsWith('*.') && host.endsWith(e.slice(1))) return true
      const [from = '', to = ''] = e.split('-').map((x) => x.trim())
      return (
        e.includes('-') &&
        isIPv4(host) &&
        isIPv4(from) &&
        isIPv4(to) &&
        ipv4Number(from) <= ipv4Number(host) &&
        ipv4Number(host) <= ipv4Number(to)
      )
    })
  return bypass ? undefined : proxy
}

/** A proxy URL as it may be shown: without its credentials. */
export function proxyShown(proxy: string): string {
  try {
    const u = new URL(proxy)
    u.username = ''
    u.password = ''
    return u.origin
  } catch {
    return 'the proxy'
  }
}
