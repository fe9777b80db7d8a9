import { checkOutsideTunnel, unsupportedPlatform } from '../../../../src/action/report/messages.js'
import { ipv6MtuRefusal, type ChosenMtu } from '../../../../src/action/host/resolve.js'
import { parseWgQuick } from '../../../../src/action/inputs/wgquick.js'
import { checkLabel, coveredBy, firstOutside } from '../../../../src/action/verify.js'
import { parsePrefix, type Prefix } from '../../../../src/common/ip.js'
import { PEER, PRIVATE, valid } from '../../../fixtures.mjs'
import { fields } from '../build.js'

describe('a runner that cannot host a tunnel is told so in one line', () => {
  it.each([
    ['darwin', 'macOS'],
    ['win32', 'Windows']
  ])('%s', (platform, name) => {
    const line = unsupportedPlatform(platform)
    expect(line).toBe(
      `This action runs on Linux runners only, and this one runs ${name}. Use a Linux runner (runs-on: ubuntu-latest, or a self-hosted Linux runner); on ${name}, install the official WireGuard client in a run: step instead.`
    )
    expect(line).not.toMatch(/apt|iproute2/)
  })
})

describe('an MTU under 1280 with IPv6 is refused, naming the input or line and the minimum', () => {
  const config = (mtu: string): string =>
    `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.168.1.2/24, fd77::2/64\n${mtu}\n[Peer]\nPublicKey = ${PEER}\nEndpoint = 198.51.100.1:51820\nAllowedIPs = 192.168.1.0/24, fd77::/64\n`
  const refusal = ipv6MtuRefusal

  it('the issue: MTU = 1200 in config with a dual-stack address', () => {
    const t = parseWgQuick(config('MTU = 1200'))
    expect(refusal(t, { mtu: 1200, given: true })).toBe(
      'Input "config": line 4: MTU = 1200 is under 1280, the least IPv6 allows (RFC 8200), and line 3 gives the IPv6 address fd77::2/64: Linux turns IPv6 off on a link whose MTU is under 1280, so that traffic would leave outside the tunnel; the tunnel was not set up. Set MTU = in config to 1280 or more, or remove every IPv6 address and allowed IP'
    )
  })

  it('the issue: the mtu input with a dual-stack address', () => {
    const t = fields({ ...valid, address: '192.168.1.2/24, fd77::2/64', mtu: '1200' })
    expect(refusal(t, { mtu: 1200, given: true })).toBe(
      'Input "mtu": MTU 1200 is under 1280, the least IPv6 allows (RFC 8200), and input "address" gives the IPv6 address fd77::2/64: Linux turns IPv6 off on a link whose MTU is under 1280, so that traffic would leave outside the tunnel; the tunnel was not set up. Set the mtu input to 1280 or more, or remove every IPv6 address and allowed IP'
    )
  })

  it('an IPv6 allowed IP alone is enough, and is named by its line', () => {
    const t = parseWgQuick(config('MTU = 1279').replace(', fd77::2/64', ''))
    expect(refusal(t, { mtu: 1279, given: true })).toMatch(
      /^Input "config": line 4: MTU = 1279 is under 1280.* and line 8 gives the IPv6 allowed IP fd77::\/64:/
    )
  })

  it('the automatic MTU from the route towards the endpoint is named with that route', () => {
    const t = fields({ ...valid, address: '192.168.1.2/24, fd77::2/64' })
    const auto: ChosenMtu = { mtu: 1200, given: false, pathMtu: 1280, dev: 'eth0', towards: '198.51.100.1' }
    expect(refusal(t, auto)).toBe(
      'The automatic MTU 1200 (the route towards 198.51.100.1 leaves via eth0 with MTU 1280, minus 80 for WireGuard) is under 1280, the least IPv6 allows (RFC 8200), and input "address" gives the IPv6 address fd77::2/64: Linux turns IPv6 off on a link whose MTU is under 1280, so that traffic would leave outside the tunnel; the tunnel was not set up. Set the mtu input to 1280 or more (WireGuard\'s packets are then fragmented on that path), or remove every IPv6 address and allowed IP'
    )
  })

  it('lets 1280, and any MTU without IPv6, through', () => {
    expect(refusal(parseWgQuick(config('MTU = 1280')), { mtu: 1280, given: true })).toBeUndefined()
    expect(refusal(fields({ ...valid, mtu: '576' }), { mtu: 576, given: true })).toBeUndefined()
  })
})

describe('a check that would not go through the tunnel', () => {
  const http = { kind: 'http', url: 'http://198.51.100.1:8080/', text: 'http://198.51.100.1:8080/' } as const
  const tcp = { kind: 'tcp', host: '192.0.2.1', port: 80, text: '192.0.2.1:80' } as const
  const targets = [
    { check: tcp, address: '192.0.2.1' },
    { check: http, address: '198.51.100.1' }
  ]
  const via = (dev: string, extra = ''): string =>
    `[{"dst":"x","dev":"${dev}"${extra},"prefsrc":"192.0.2.2","flags":[],"uid":1001,"cache":[]}]`

  it('is found from `ip route get`: the first target not leaving through the interface', () => {
    expect(firstOutside(targets, `${via('wg0')}\n${via('wg0', ',"table":"51820"')}\n`, '', 'wg0')).toBeUndefined()
    const r = firstOutside(targets, `${via('wg0')}\n${via('eth0')}\n`, '', 'wg0')
    expect(r).toEqual({ check: http, address: '198.51.100.1', dev: 'eth0', local: false })
    expect(
      checkOutsideTunnel(checkLabel(http), r!, 'wg0', { allowedIps: 'allowed-ips', covered: false, table: 'auto' })
    ).toBe(
      'HTTP http://198.51.100.1:8080/ was not run: it would not go through the tunnel wg0, so it would prove nothing about it: the kernel sends 198.51.100.1 via eth0, unencrypted. Cover 198.51.100.1 with allowed-ips (e.g. add 198.51.100.1/32), or check an address behind the tunnel'
    )
  })

  it('says when there is no route at all (the batch stops at that line)', () => {
    const r = firstOutside(
      targets,
      `${via('wg0')}\n`,
      'RTNETLINK answers: Network is unreachable\nCommand failed -:2\n',
      'wg0'
    )
    expect(r).toEqual({ check: http, address: '198.51.100.1', error: 'RTNETLINK answers: Network is unreachable' })
    expect(
      checkOutsideTunnel('HTTP x', r!, 'wg0', { allowedIps: 'AllowedIPs in config', covered: false, table: 'auto' })
    ).toMatch(
      /: the kernel has no route to 198\.51\.100\.1 \(RTNETLINK answers: Network is unreachable\)\. Cover 198\.51\.100\.1 with AllowedIPs in config/
    )
  })

  it("says when the target is the runner's own address", () => {
    const r = firstOutside(
      [{ check: tcp, address: '192.0.2.2' }],
      '[{"type":"2","dst":"192.0.2.2","dev":"lo","table":"255"}]\n',
      '',
      'wg0'
    )
    expect(
      checkOutsideTunnel('TCP 192.0.2.2:80', r!, 'wg0', { allowedIps: 'allowed-ips', covered: true, table: 'auto' })
    ).toMatch(/192\.0\.2\.2 is an address of this runner itself \(the kernel delivers it via lo\)/)
  })

  it('says when the allowed IPs cover it but Table leaves it unrouted, or a more specific route wins', () => {
    const r = { address: '203.0.113.1', dev: 'eth0' }
    expect(
      checkOutsideTunnel('TCP x', r, 'wg0', { allowedIps: 'AllowedIPs in config', covered: true, table: 'off' })
    ).toMatch(/AllowedIPs in config covers it, but Table = off adds no route the checks follow/)
    expect(checkOutsideTunnel('TCP x', r, 'wg0', { allowedIps: 'allowed-ips', covered: true, table: 'auto' })).toMatch(
      /allowed-ips covers it, but a more specific route on this runner wins/
    )
    expect(coveredBy([parsePrefix('203.0.113.0/24') as Prefix], '203.0.113.1')).toBe(true)
    expect(coveredBy([parsePrefix('203.0.113.0/24') as Prefix], '2001:db8::1')).toBe(false)
  })
})
