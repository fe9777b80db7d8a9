// What bring-up must know of the world before it changes anything: the address each endpoint host
// name resolves to (carried in the endpoint from then on), and wg-quick's automatic MTU.
import { endpointError } from '../inputs/values.js'
import type { Peer as PeerConfig } from '../inputs/tunnel.js'
import { errorText } from '../../common/errors.js'
import { autoMtu } from './plan.js'
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

/** wg-quick's automatic MTU: from the routes towards the endpoints, else the default route. */
export async function chooseMtu(
  peers: readonly PeerConfig[],
  ip: string,
  limits: Pick<RunOptions, 'deadline'>
): Promise<number> {
  const fromRoute = (text: string): number => {
    const mtu = /\bmtu ([0-9]+)/.exec(text)
    if (mtu) return Number(mtu[1])
    const dev = /\bdev (\S+)/.exec(text)
    return dev ? deviceMtu(dev[1] as string) : 0
  }
  const hosts = [...new Set(peers.flatMap((p) => (p.endpoint ? [p.endpoint.address ?? p.endpoint.host] : [])))]
  const mtus = await Promise.all(hosts.map(async (h) => fromRoute((await run([ip, 'route', 'get', h], limits)).stdout)))
  if (mtus.some((m) => m > 0)) return autoMtu(mtus)
  const def = (await run([ip, 'route', 'show', 'default'], limits)).stdout.split('\n')[0] ?? ''
  return autoMtu([fromRoute(def)])
}
