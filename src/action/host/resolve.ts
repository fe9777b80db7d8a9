// What bring-up must know of the world before it changes anything: the address each endpoint host
// name resolves to (carried in the endpoint from then on), and wg-quick's automatic MTU.
import { endpointError } from '../inputs/values.js'
import { prefixOrigin, type Peer as PeerConfig, type Tunnel } from '../inputs/tunnel.js'
import { errorText } from '../../common/errors.js'
import { autoMtu, firstIpv6, IPV6_MIN_MTU } from './plan.js'
import { ipv6MtuTooSmall } from '../report/messages.js'
import { run, type RunOptions } from './run.js'
import { deviceMtu } from './probe.js'
import { INPUT } from '../names.js'

const isIp = (host: string): boolean => /^[0-9.]+$/.test(host) || host.includes(':')

/**
 * The peers with each endpoint's address filled in: IP literals as they are, host names looked up
 * once each, all within `timeoutMs`. A name that does not resolve fails before anything is touched.
 */
export async function resolveEndpoints<P extends PeerConfig>(peers: readonly P[], timeoutMs: number): Promise<P[]> {
  const hosts = [...new Set(peers.flatMap((p) => (p.endpoint && !isIp(p.endpoint.host) ? [p.endpoint.host] : [])))]
  const found = new Map<string, string>()
  if (hosts.length > 0) {
    const { lookup } = await import('node:dns/promises')
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)
    })
    try {
      await Promise.all(
        hosts.map(async (host) => {
          try {
            found.set(host, (await Promise.race([lookup(host), timeout])).address)
          } catch (err) {
            const source = peers.find((p) => p.endpoint?.host === host)?.endpoint?.source ?? { input: INPUT.endpoint }
            const code = (err as NodeJS.ErrnoException).code ?? errorText(err)
            // From config (a secret) the name is not shown, only the line; the endpoint input is no secret.
            const what = source.input === INPUT.endpoint ? `host name "${host}"` : 'Endpoint host name'
            const fix = "check its spelling and that the runner's DNS knows it"
            throw endpointError(source, `${what} does not resolve (${code}): ${fix}`)
          }
        })
      )
    } finally {
      clearTimeout(timer)
    }
  }
  return peers.map((p) =>
    p.endpoint ? { ...p, endpoint: { ...p.endpoint, address: found.get(p.endpoint.host) ?? p.endpoint.host } } : p
  )
}

/**
 * The MTU bring-up gives the interface, and why: given (the `mtu` input, `MTU =` in `config`), or
 * wg-quick's automatic one from the route towards an endpoint (`towards`, via `dev`, whose MTU was
 * `pathMtu`) or the default route.
 */
export type ChosenMtu =
  { mtu: number; given: true } | { mtu: number; given: false; pathMtu: number; dev?: string; towards?: string }

/** wg-quick's automatic MTU: from the routes towards the endpoints, else the default route. */
export async function chooseMtu(
  peers: readonly PeerConfig[],
  ip: string,
  limits: Pick<RunOptions, 'deadline'>
): Promise<ChosenMtu> {
  const fromRoute = (text: string): { mtu: number; dev?: string } => {
    const dev = /\bdev (\S+)/.exec(text)?.[1]
    const mtu = /\bmtu ([0-9]+)/.exec(text)
    if (mtu) return { mtu: Number(mtu[1]), dev }
    return { mtu: dev ? deviceMtu(dev) : 0, dev }
  }
  const hosts = [...new Set(peers.flatMap((p) => (p.endpoint ? [p.endpoint.address ?? p.endpoint.host] : [])))]
  const seen = await Promise.all(
    hosts.map(async (h) => ({ ...fromRoute((await run([ip, 'route', 'get', h], limits)).stdout), towards: h }))
  )
  const best = seen.reduce<(typeof seen)[number] | undefined>((b, s) => (s.mtu > (b?.mtu ?? 0) ? s : b), undefined)
  if (best) return { mtu: autoMtu([best.mtu]), given: false, pathMtu: best.mtu, dev: best.dev, towards: best.towards }
  const def = fromRoute((await run([ip, 'route', 'show', 'default'], limits)).stdout.split('\n')[0] ?? '')
  return { mtu: autoMtu([def.mtu]), given: false, pathMtu: def.mtu > 0 ? def.mtu : 1500, dev: def.dev }
}

/**
 * The refusal of an MTU under 1280 with any IPv6 in the tunnel (given, or chosen from the route
 * towards the endpoint), or undefined: Linux would turn IPv6 off on the link without a word, and
 * that traffic would leave by the uplink. (wg-quick fails on it only later, at a route it cannot
 * add, after changing things.) Pure: checked before anything is made.
 */
export function ipv6MtuRefusal(tunnel: Tunnel, chosen: ChosenMtu): string | undefined {
  const v6 = firstIpv6(tunnel)
  if (chosen.mtu >= IPV6_MIN_MTU || v6 === undefined) return undefined
  return ipv6MtuTooSmall(chosen, tunnel.origins?.mtu, { ...v6, origin: prefixOrigin(tunnel, v6.what, v6.prefix) })
}
