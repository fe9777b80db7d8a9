import {
  checkOutsideTunnel,
  configRefused,
  errnoName,
  ipRefused,
  kernelSaid,
  unsupportedPlatform,
  type BatchItem,
  type RefusalEvidence
} from '../../../../src/action/report/messages.js'
import { prefixOrigin } from '../../../../src/action/inputs/tunnel.js'
import { ipv6MtuRefusal, type ChosenMtu } from '../../../../src/action/host/resolve.js'
import { parseWgQuick } from '../../../../src/action/inputs/wgquick.js'
import { addressTargets, checkLabel, coveredBy, firstOutside, routeQuestion } from '../../../../src/action/verify.js'
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
  const via = (dev: string, extra: Record<string, unknown> = {}) => ({
    route: { dst: 'x', dev, ...extra, prefsrc: '192.0.2.2', flags: [], uid: 1001, cache: [] }
  })

  it('is found from `ip route get`: the first target not leaving through the interface', () => {
    expect(firstOutside(targets, [via('wg0'), via('wg0', { table: '51820' })], 'wg0')).toBeUndefined()
    const r = firstOutside(targets, [via('wg0'), via('eth0')], 'wg0')
    expect(r).toEqual({ check: http, address: '198.51.100.1', dev: 'eth0', local: false })
    expect(
      checkOutsideTunnel(checkLabel(http), r!, 'wg0', { allowedIps: 'allowed-ips', covered: false, table: 'auto' })
    ).toBe(
      'HTTP http://198.51.100.1:8080/ was not run: it would not go through the tunnel wg0, so it would prove nothing about it: the kernel sends 198.51.100.1 via eth0, unencrypted. Cover 198.51.100.1 with allowed-ips (e.g. add 198.51.100.1/32), or check an address behind the tunnel'
    )
  })

  it('says when there is no route at all', () => {
    const r = firstOutside(targets, [via('wg0'), { error: 'RTNETLINK answers: Network is unreachable' }], 'wg0')
    expect(r).toEqual({ check: http, address: '198.51.100.1', error: 'RTNETLINK answers: Network is unreachable' })
    expect(
      checkOutsideTunnel('HTTP x', r!, 'wg0', { allowedIps: 'AllowedIPs in config', covered: false, table: 'auto' })
    ).toMatch(
      /: the kernel has no route to 198\.51\.100\.1 \(RTNETLINK answers: Network is unreachable\)\. Cover 198\.51\.100\.1 with AllowedIPs in config/
    )
    expect(firstOutside(targets, [via('wg0')], 'wg0')).toMatchObject({
      address: '198.51.100.1',
      error: 'ip route get gave no answer'
    })
  })

  it("says when the target is the runner's own address", () => {
    const r = firstOutside(
      [{ check: tcp, address: '192.0.2.2' }],
      [{ route: { type: 'local', dst: '192.0.2.2', dev: 'lo', table: 'local' } }],
      'wg0'
    )
    expect(
      checkOutsideTunnel('TCP 192.0.2.2:80', r!, 'wg0', { allowedIps: 'allowed-ips', covered: true, table: 'auto' })
    ).toMatch(/192\.0\.2\.2 is an address of this runner itself \(the kernel delivers it via lo\)/)
  })

  it("asks as the check will be sent: by the step's user, unmarked", () => {
    expect(routeQuestion({ check: tcp, address: '192.0.2.1' }, 1001)).toBe('route get 192.0.2.1 uid 1001')
    expect(addressTargets([tcp, http, { kind: 'icmp', host: 'db.internal', text: 'db.internal' }])).toEqual(targets)
  })

  it("says when the target is a peer's endpoint (covering it would cut the tunnel off), not to cover it", () => {
    const line = checkOutsideTunnel('TCP x', { address: '198.51.100.1', dev: 'eth0' }, 'wg0', {
      allowedIps: 'allowed-ips',
      covered: false,
      table: 'auto',
      endpoint: true
    })
    expect(line).toMatch(
      /198\.51\.100\.1 is a peer's endpoint, which WireGuard's own packets must reach outside the tunnel/
    )
    expect(line).not.toMatch(/Cover/)
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

describe('every errno of the configuration protocol says its meaning, cause and input', () => {
  const port = parseWgQuick(
    `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\nListenPort = 51999\n[Peer]\nPublicKey = ${PEER}\nAllowedIPs = 192.0.2.0/24\n`
  )

  it('the issue: ListenPort = N while another process holds UDP port N', () => {
    expect(configRefused('wg0', 'wireguard-go', port, errnoName(-98), -98)).toBe(
      'Input "config": line 4: ListenPort = 51999: UDP port 51999 is already in use on this runner (EADDRINUSE, errno -98: Address already in use), so wireguard-go cannot listen on it for wg0. Choose a free port, or leave ListenPort out and a free one is picked'
    )
    // `wg setconf` (kernel, or wireguard-go through sudo) prints strerror's text: the same line.
    const said = kernelSaid('Unable to modify interface: Address already in use\n')
    expect(said.errno).toBe('EADDRINUSE')
    expect(configRefused('wg0', 'the kernel', port, said.errno, undefined, said.text)).toMatch(
      /^Input "config": line 4: ListenPort = 51999: UDP port 51999 is already in use on this runner \(EADDRINUSE, errno -98: Address already in use\), so the kernel cannot listen/
    )
  })

  // Every errno wireguard-go answers (ipc/uapi_unix.go: IpcErrorIO, IpcErrorProtocol, IpcErrorInvalid,
  // IpcErrorPortInUse, IpcErrorUnknown), and what `wg` adds.
  it.each([
    [-5, 'EIO', /the connection to its configuration socket broke/],
    [-71, 'EPROTO', /could not read a line of the request as KEY=VALUE/],
    [
      -22,
      'EINVAL',
      /refused one of the values as invalid \(the key, ListenPort, FwMark, an Endpoint, an allowed IP or a keepalive\) and does not say which/
    ],
    [-55, 'ENOANO', /wireguard-go's code for an error it does not classify/],
    [-19, 'ENODEV', /wg0 is gone \(wireguard-go exited, or another program deleted it\)/],
    [-1, 'EPERM', /may not change network interfaces \(CAP_NET_ADMIN\)/]
  ])('errno %d is %s, with its meaning', (n, name, meaning) => {
    expect(errnoName(n)).toBe(name)
    const line = configRefused('wg0', 'wireguard-go', { listenPort: undefined }, errnoName(n), n)
    expect(line).toMatch(new RegExp(`^wireguard-go refused the configuration of wg0 \\(${name}, errno ${n}`))
    expect(line).toMatch(meaning)
  })

  it('EADDRINUSE without a ListenPort names FwMark, or the free port that could not be bound', () => {
    const mark = parseWgQuick(
      `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\nFwMark = 0x10\n[Peer]\nPublicKey = ${PEER}\nAllowedIPs = 192.0.2.0/24\n`
    )
    expect(configRefused('wg0', 'wireguard-go', { ...mark, fwmark: 16 }, 'EADDRINUSE', -98)).toMatch(
      /^Input "config": line 4: FwMark 16: wireguard-go could not set it on its UDP socket/
    )
    expect(configRefused('wg0', 'wireguard-go', {}, 'EADDRINUSE', -98)).toMatch(
      /could not open a UDP socket on a free port/
    )
  })

  it('an errno it does not know is named, never bare', () => {
    expect(configRefused('wg0', 'wireguard-go', {}, errnoName(-113), -113)).toBe(
      'wireguard-go refused the configuration of wg0 (EHOSTUNREACH, errno -113), an answer this action does not know wireguard-go to give; the configuration was not applied'
    )
    expect(configRefused('wg0', 'wireguard-go', {}, errnoName(-4000), -4000)).toMatch(
      /\(no symbolic name known, errno -4000\)/
    )
    expect(errnoName(95)).toBe('EOPNOTSUPP')
  })
})

describe('every refusal by ip names the line of config or input, the kernel words and errno, and the fix', () => {
  const t = parseWgQuick(
    `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\nAddress = 2001:db8:1::2/64\nMTU = 9999\n[Peer]\nPublicKey = ${PEER}\nAllowedIPs = 192.0.2.0/24, 203.0.113.0/24, ::/0\n`
  )
  const address = (text: string): BatchItem => {
    const prefix = parsePrefix(text) as Prefix
    return { kind: 'address', prefix, origin: prefixOrigin(t, 'address', prefix) }
  }
  const route = (text: string, table?: number): BatchItem => {
    const prefix = parsePrefix(text) as Prefix
    return { kind: 'route', prefix, table, origin: prefixOrigin(t, 'allowed IP', prefix) }
  }

  it('reads which batch line failed, and the errno of the kernel words', () => {
    expect(kernelSaid('RTNETLINK answers: File exists\nCommand failed -:2\n')).toEqual({
      text: 'RTNETLINK answers: File exists',
      errno: 'EEXIST',
      line: 2
    })
    expect(kernelSaid('Error: ipv6: IPv6 is disabled on this device.\nCommand failed -:1\n').errno).toBe('EACCES')
    expect(kernelSaid('Error: mtu greater than device maximum.\n').errno).toBe('EINVAL')
    expect(kernelSaid('RTNETLINK answers: No buffer space available\n').errno).toBe('ENOBUFS')
    expect(kernelSaid('Error: something new.\n')).toEqual({
      text: 'Error: something new',
      errno: undefined,
      line: undefined
    })
  })

  it.each([
    [
      'a route another interface holds (File exists)',
      route('203.0.113.0/24'),
      'RTNETLINK answers: File exists',
      { holder: 'docker0' },
      'Input "config": line 8: allowed IP 203.0.113.0/24: the kernel refused its route through wg0 in the main table (RTNETLINK answers: File exists, EEXIST): the main table already has a route to 203.0.113.0/24 via docker0, another network of this runner. Remove 203.0.113.0/24 from AllowedIPs in config, or delete that route in a step before this one'
    ],
    [
      'IPv6 turned off for new interfaces',
      address('2001:db8:1::2/64'),
      'Error: ipv6: IPv6 is disabled on this device.',
      { ipv6Off: { cause: 'sysctl', key: 'net.ipv6.conf.wg0.disable_ipv6' } },
      'Input "config": line 4: Address 2001:db8:1::2/64: the kernel refused it on wg0 (Error: ipv6: IPv6 is disabled on this device, EACCES): IPv6 is turned off on wg0 (net.ipv6.conf.wg0.disable_ipv6 = 1), as Docker and some images set for new interfaces. Turn it on in a step before this one (sudo sysctl -w net.ipv6.conf.default.disable_ipv6=0), or remove every IPv6 address and allowed IP'
    ],
    [
      'an IPv6 route where IPv6 is off on the link',
      route('::/0', 51820),
      'RTNETLINK answers: No such device',
      { ipv6Off: { cause: 'kernel' } },
      'Input "config": line 8: allowed IP ::/0: the kernel refused its route through wg0 in table 51820 (RTNETLINK answers: No such device, ENODEV): this kernel has no IPv6 (booted with ipv6.disable=1). Remove every IPv6 address and allowed IP'
    ],
    [
      'an address given twice',
      address('192.0.2.2/24'),
      'Error: ipv4: Address already assigned.',
      {},
      'Input "config": line 3: Address 192.0.2.2/24: the kernel refused it on wg0 (Error: ipv4: Address already assigned, EEXIST): the same address with the same prefix length is given twice; give it once'
    ],
    [
      'an MTU the interface does not take',
      { kind: 'mtu', mtu: 9999, origin: t.origins?.mtu },
      'Error: mtu greater than device maximum.',
      {},
      'Input "config": line 5: MTU 9999: the kernel refused it for wg0 (Error: mtu greater than device maximum, EINVAL): the interface takes no such MTU; choose another (WireGuard\'s usual is 1420)'
    ],
    [
      'a rule priority taken meanwhile',
      { kind: 'rule', family: 4, priority: 32765, selector: 'not fwmark 51820 table 51820' },
      'RTNETLINK answers: File exists',
      {},
      'The kernel refused the IPv4 policy rule 32765 (not fwmark 51820 table 51820) of the full tunnel through wg0 (RTNETLINK answers: File exists, EEXIST): that priority was taken meanwhile (by another job starting a full tunnel?); run the job again'
    ],
    [
      'IPv6 rules on a kernel without IPv6',
      { kind: 'rule', family: 6, priority: 32765, selector: 'not fwmark 51820 table 51820' },
      'RTNETLINK answers: Address family not supported by protocol',
      {},
      'The kernel refused the IPv6 policy rule 32765 (not fwmark 51820 table 51820) of the full tunnel through wg0 (RTNETLINK answers: Address family not supported by protocol, EAFNOSUPPORT): this kernel has no IPv6 (booted with ipv6.disable=1); remove ::/0 from AllowedIPs in config'
    ]
  ] as const)('%s', (_what, item, said, evidence, line) => {
    expect(
      ipRefused('wg0', item as BatchItem, kernelSaid(said), 'AllowedIPs in config', evidence as RefusalEvidence)
    ).toBe(line)
  })

  it.each([
    [
      'RTNETLINK answers: Operation not permitted',
      /\(RTNETLINK answers: Operation not permitted, EPERM\): this step may not change the network \(CAP_NET_ADMIN\)/
    ],
    [
      'RTNETLINK answers: Invalid argument',
      /\(RTNETLINK answers: Invalid argument, EINVAL\): the kernel refused a value as invalid/
    ],
    [
      'RTNETLINK answers: Network is unreachable',
      /\(RTNETLINK answers: Network is unreachable, ENETUNREACH\): no route leads there/
    ],
    [
      'RTNETLINK answers: No buffer space available',
      /\(RTNETLINK answers: No buffer space available, ENOBUFS\): the kernel ran short of buffer space/
    ],
    [
      'RTNETLINK answers: Address already in use',
      /\(RTNETLINK answers: Address already in use, EADDRINUSE\): another program holds that address/
    ],
    ['RTNETLINK answers: No such device', /\(RTNETLINK answers: No such device, ENODEV\): the interface is gone/],
    [
      'Error: a reason nobody knows yet.',
      /\(Error: a reason nobody knows yet\): the kernel gave no reason this action knows$/
    ]
  ])('the common RTNETLINK failures: %s', (said, line) => {
    expect(ipRefused('wg0', route('203.0.113.0/24'), kernelSaid(said), 'allowed-ips')).toMatch(line)
  })
})
