// The gateway client's proxies are Node's own (an agent with `proxyEnv`); proxyFor, which only says
// in messages which proxy a request went through, is held here to what Node's agent actually does
// (differential: each case is sent through a real agent to stand-in proxies on loopback, and where
// it arrived is compared with proxyFor's answer). Names resolve to loopback through the agent's
// `lookup`, so nothing leaves this host.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, request, Agent, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { httpRequest, nodeHasProxySupport, proxyFor, proxyShown } from '../../../../src/action/lease/http.js'
import { gatewayUnreachable, tokenServiceUnreachable } from '../../../../src/action/report/gateway.js'

const servers: Server[] = []
let direct = 0
let proxyA = ''
let proxyB = ''

/** A server on loopback answering `name` and, as a proxy sees it, the request's target. */
async function listen(name: string): Promise<number> {
  const s = createServer((req, res) => res.end(`${name} ${req.url}`))
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return (s.address() as AddressInfo).port
}

beforeAll(async () => {
  direct = await listen('direct')
  proxyA = `http://127.0.0.1:${await listen('A')}`
  proxyB = `http://127.0.0.1:${await listen('B')}`
})
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))))

/** Where Node's agent sends a GET of `url` under `env`: 'direct', 'A' or 'B'. */
function whereNodeSends(url: URL, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent: new Agent({ proxyEnv: env }),
        // Every name is this host (Node asks for all addresses when it may try several families).
        lookup: (_host, opts, cb) =>
          (opts as { all?: boolean }).all
            ? (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [
                { address: '127.0.0.1', family: 4 }
              ])
            : (cb as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4)
      },
      (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString()))
        res.on('end', () => resolve(body.split(' ')[0] ?? ''))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

describe('proxyFor: which proxy a request goes through, as Node decides it', () => {
  // [host, env]; `{A}`, `{B}` are the stand-in proxies, `{port}` the direct server's port.
  const cases: [string, Record<string, string>][] = [
    ['vpn.example.com', { HTTP_PROXY: '{A}' }],
    ['vpn.example.com', { http_proxy: '{B}', HTTP_PROXY: '{A}' }],
    ['vpn.example.com', { HTTPS_PROXY: '{A}' }],
    ['vpn.example.com', { HTTP_PROXY: 'socks5://127.0.0.1:1' }],
    ['vpn.example.com', { HTTP_PROXY: '{A}', NO_PROXY: 'vpn.example.com' }],
    ['a.vpn.example.com', { HTTP_PROXY: '{A}', NO_PROXY: 'vpn.example.com' }],
    ['vpn.example.com', { HTTP_PROXY: '{A}', NO_PROXY: 'example.com' }],
    ['vpn.example.com', { HTTP_PROXY: '{A}', NO_PROXY: '.example.com' }],
    ['example.com', { HTTP_PROXY: '{A}', NO_PROXY: '.example.com' }],
    ['notexample.com', { HTTP_PROXY: '{A}', NO_PROXY: '.example.com' }],
    ['vpn.example.com', { HTTP_PROXY: '{A}', NO_PROXY: '*.example.com' }],
    ['example.com', { HTTP_PROXY: '{A}', NO_PROXY: '*.example.com' }],
    ['vpn.example.com', { HTTP_PROXY: '{A}', NO_PROXY: 'vpn.example.com:{port}' }],
    ['vpn.example.com', { HTTP_PROXY: '{A}', NO_PROXY: 'vpn.example.com:1' }],
    ['vpn.example.com', { HTTP_PROXY: '{A}', NO_PROXY: '*' }],
    ['vpn.example.com', { HTTP_PROXY: '{A}', NO_PROXY: ' other.example , VPN.Example.COM ' }],
    ['vpn.example.com', { HTTP_PROXY: '{A}', no_proxy: 'other.example', NO_PROXY: 'vpn.example.com' }],
    ['vpn.example.com', { HTTP_PROXY: '{A}', no_proxy: '', NO_PROXY: 'vpn.example.com' }],
    ['127.0.0.1', { HTTP_PROXY: '{A}', NO_PROXY: '127.0.0.0-127.0.0.5' }],
    ['127.0.0.1', { HTTP_PROXY: '{A}', NO_PROXY: '127.0.0.2-127.0.0.9' }],
    ['127.0.0.1', { HTTP_PROXY: '{A}', NO_PROXY: '127.0.0.1' }],
    ['127.0.0.1', { HTTP_PROXY: '{A}', NO_PROXY: 'localhost' }]
  ]

  it.each(cases)('%s with %j', async (host, template) => {
    const env = Object.fromEntries(
      Object.entries(template).map(([k, v]) => [
        k,
        v.replace('{A}', proxyA).replace('{B}', proxyB).replace('{port}', String(direct))
      ])
    )
    const url = new URL(`http://${host}:${direct}/v1/leases`)
    const node = await whereNodeSends(url, env)
    const ours = proxyFor(url, env)
    expect(ours === undefined ? 'direct' : ours === proxyA ? 'A' : ours === proxyB ? 'B' : ours).toBe(node)
  })

  it('takes the scheme’s default port for host:port entries', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'vpn.example.com:443' }
    expect(proxyFor(new URL('https://vpn.example.com/'), env)).toBeUndefined()
    expect(proxyFor(new URL('https://vpn.example.com:8443/'), env)).toBe('http://proxy:3128')
  })
})

describe('httpRequest', () => {
  it('never sends a loopback request through a proxy (plain http:// goes only there; a proxy would see the token)', async () => {
    const url = new URL(`http://127.0.0.1:${direct}/token?audience=x`)
    for (const env of [{ HTTP_PROXY: proxyA }, { http_proxy: proxyA, HTTPS_PROXY: proxyB }, {}]) {
      const answer = await httpRequest(url, { deadline: Date.now() + 5000, env })
      expect(answer.text).toBe('direct /token?audience=x')
    }
    // Node's own agent, as used for every other host, would have taken proxy A: the exception is ours.
    expect(await whereNodeSends(url, { HTTP_PROXY: proxyA })).toBe('A')
  })

  it('a proxy setting Node cannot use is refused by Node itself (its message quotes it; ours never does)', async () => {
    // Not loopback (which never takes a proxy); Node refuses the setting before it resolves the name.
    const url = new URL(`http://gateway.example:${direct}/`)
    const err = (await httpRequest(url, {
      deadline: Date.now() + 5000,
      env: { HTTP_PROXY: 'http://user:secret@[bad' }
    }).catch((e: unknown) => e)) as { code?: string; message: string }
    expect(err.code).toBe('ERR_PROXY_INVALID_CONFIG')
    expect(err.message).toContain('secret')
    const line = tokenServiceUnreachable(err, { systemCa: false, now: new Date() })
    expect(line).toMatch(
      /^The runner's token service could not be asked: the proxy variable for this URL .* \(ERR_PROXY_INVALID_CONFIG\)/
    )
    expect(line).not.toContain('secret')
    expect(gatewayUnreachable(url, err, { systemCa: false, now: new Date() })).not.toContain('secret')
  })

  it('shows a proxy without its credentials; knows which Node has proxy support', () => {
    expect(proxyShown('http://user:secret@proxy.corp:3128/')).toBe('http://proxy.corp:3128')
    expect(proxyShown('not a url')).toBe('the proxy')
    expect(nodeHasProxySupport('24.5.0')).toBe(true)
    expect(nodeHasProxySupport('24.4.1')).toBe(false)
    expect(nodeHasProxySupport('25.0.0')).toBe(true)
    expect(nodeHasProxySupport(process.versions.node)).toBe(true)
  })
})
