// Reading back what the kernel holds: the comparison with the plan on what `ip -j` prints (the
// lines below are iproute2 6.1's output for a wireguard-go link, trimmed of fields not read), and
// the one line each difference becomes.
import { parsePrefix, type Prefix } from '../../../../src/common/ip.js'
import { difference, heldFrom, linkRead, routesRead, type Expected } from '../../../../src/action/host/readback.js'
import { kernelDiffers } from '../../../../src/action/report/messages.js'

const p = (text: string): Prefix => parsePrefix(text) as Prefix

/** A dual-stack full tunnel on wg0: addresses, MTU 1420, the policy table's default routes, four rules. */
const WANT: Expected = {
  iface: 'wg0',
  addresses: [p('192.0.2.2/24'), p('2001:db8:1::2/64')],
  mtu: 1420,
  routes: [
    { prefix: p('0.0.0.0/0'), table: 51820 },
    { prefix: p('::/0'), table: 51820 },
    { prefix: p('203.0.113.0/24') },
    { prefix: p('198.51.100.7/32') }
  ],
  rules: [
    { family: 4, priority: 32765, selector: 'not fwmark 51820 table 51820' },
    { family: 4, priority: 32764, selector: 'table main suppress_prefixlength 0' },
    { family: 6, priority: 32765, selector: 'not fwmark 51820 table 51820' },
    { family: 6, priority: 32764, selector: 'table main suppress_prefixlength 0' }
  ]
}

const LINK = (mtu: number, flags: string, addresses: string): string =>
  `[{"ifindex":7,"ifname":"wg0","flags":[${flags}],"mtu":${mtu},"operstate":"UNKNOWN","addr_info":[${addresses}]}]`
const UP = '"POINTOPOINT","MULTICAST","NOARP","UP","LOWER_UP"'
const V4 = '{"family":"inet","local":"192.0.2.2","prefixlen":24,"scope":"global","label":"wg0"}'
const V6 = '{"family":"inet6","local":"2001:db8:1::2","prefixlen":64,"scope":"global"}'
const LL = '{"family":"inet6","local":"fe80::c3f5:f9b0:f821:e910","prefixlen":64,"scope":"link"}'
const ROUTES = [
  '{"dst":"default","table":"51820","scope":"link","flags":[]}',
  '{"dst":"192.0.2.0/24","protocol":"kernel","scope":"link","prefsrc":"192.0.2.2","flags":[]}',
  '{"dst":"203.0.113.0/24","scope":"link","flags":[]}',
  '{"dst":"198.51.100.7","scope":"link","flags":[]}',
  '{"type":"local","dst":"192.0.2.2","table":"local","protocol":"kernel","scope":"host","prefsrc":"192.0.2.2","flags":[]}',
  '{"dst":"default","table":"51820","metric":1024,"flags":[],"pref":"medium"}',
  '{"dst":"2001:db8:1::/64","protocol":"kernel","metric":256,"flags":[],"pref":"medium"}'
]
const RULES4 =
  '[{"priority":0,"src":"all","table":"local"},{"priority":32764,"src":"all","table":"main","suppress_prefixlen":0},{"priority":32765,"not":null,"src":"all","fwmark":"0xca6c","table":"51820"},{"priority":32766,"src":"all","table":"main"}]'
const RULES6 =
  '[{"priority":0,"src":"all","table":"local"},{"priority":32764,"src":"all","table":"main","suppress_prefixlen":0},{"priority":32765,"not":null,"src":"all","fwmark":"0xca6c","table":"51820"},{"priority":32766,"src":"all","table":"main"}]'

/** What the three batches' reads printed (`ip -j -N`), as heldFrom takes them. */
const held = (link: string, routes = ROUTES, rules4 = RULES4, rules6 = RULES6) =>
  heldFrom(
    JSON.parse(link) as unknown[],
    JSON.parse(`[${routes.join(',')}]`) as unknown[],
    JSON.parse(rules4) as unknown[],
    JSON.parse(rules6) as unknown[]
  )

describe('the kernel read back after bring-up', () => {
  it('reads the link after the lines that set it, the routes and rules after the lines that add them', () => {
    expect(linkRead('wg0')).toBe('address show dev wg0')
    expect(routesRead('wg0', true)).toEqual(['route show table all dev wg0', 'rule show'])
    expect(routesRead('wg0', false)).toEqual(['route show table all dev wg0'])
  })

  it('finds no difference when the kernel holds the plan (a default route told apart by family)', () => {
    expect(difference(WANT, held(LINK(1420, UP, `${V4},${V6},${LL}`)))).toBeUndefined()
  })

  it('the issue: MTU 1200 turned IPv6 off, so the IPv6 address is gone: said with its cause', () => {
    const d = difference(WANT, held(LINK(1200, UP, V4)))
    expect(d).toEqual({ kind: 'address', prefix: p('2001:db8:1::2/64'), ipv6Off: { cause: 'mtu', mtu: 1200 } })
    expect(kernelDiffers(WANT, d!)).toBe(
      'After bring-up the kernel holds no IPv6 address on wg0 (2001:db8:1::2/64), so that traffic would leave outside the tunnel: Linux turns IPv6 off on a link whose MTU is under 1280 (MTU 1200; this step set 1420, so something else on this runner changed it meanwhile)'
    )
  })

  it('names a sysctl that turned IPv6 off, where /proc says so', () => {
    const d = difference(WANT, held(LINK(1420, UP, V4)), () => ({
      cause: 'sysctl',
      key: 'net.ipv6.conf.wg0.disable_ipv6'
    }))
    expect(kernelDiffers(WANT, d!)).toMatch(
      /no IPv6 address on wg0 \(2001:db8:1::2\/64\), so that traffic would leave outside the tunnel: IPv6 is turned off on wg0 \(net\.ipv6\.conf\.wg0\.disable_ipv6 = 1\); set it to 0 in a step before this one/
    )
    const none = difference(WANT, held(LINK(1420, UP, V4)), () => ({ cause: 'kernel' }))
    expect(kernelDiffers(WANT, none!)).toMatch(/this kernel has no IPv6 \(booted with ipv6\.disable=1\)/)
  })

  it('quotes no cause it cannot see', () => {
    const d = difference(WANT, held(LINK(1420, UP, `${V6},${LL}`)))
    expect(kernelDiffers(WANT, d!)).toBe(
      'After bring-up the kernel holds no address 192.0.2.2/24 on wg0, which this step added: another program on this runner changed it while the tunnel came up'
    )
  })

  it.each([
    [
      'the interface is gone (its read did not run)',
      heldFrom(undefined),
      /holds no interface wg0: it went away while it was being set up/
    ],
    ['another MTU', held(LINK(1380, UP, `${V4},${V6}`)), /holds MTU 1380 on wg0, not the 1420 this step set/],
    ['down', held(LINK(1420, '"POINTOPOINT","NOARP"', `${V4},${V6}`)), /holds wg0 down, though this step set it up/],
    [
      'the policy table lost its IPv6 default route',
      held(
        LINK(1420, UP, `${V4},${V6}`),
        ROUTES.filter((r) => !r.includes('"pref"') || !r.includes('default'))
      ),
      /holds no route to ::\/0 via wg0 in table 51820, which this step added, so that traffic would leave outside the tunnel/
    ],
    [
      'a host route (a bare address in ip -j)',
      held(
        LINK(1420, UP, `${V4},${V6}`),
        ROUTES.filter((r) => !r.includes('198.51.100.7'))
      ),
      /no route to 198\.51\.100\.7\/32 via wg0, which/
    ],
    [
      'an IPv6 rule',
      held(LINK(1420, UP, `${V4},${V6}`), ROUTES, RULES4, '[{"priority":0,"src":"all","table":"local"}]'),
      /holds no IPv6 policy rule 32765 \(not fwmark 51820 table 51820\), which this step added/
    ],
    [
      'a rule at another priority',
      held(LINK(1420, UP, `${V4},${V6}`), ROUTES, RULES4.replace('"priority":32764', '"priority":32000')),
      /no IPv4 policy rule 32764 \(table main suppress_prefixlength 0\)/
    ]
  ])('%s: one line naming what is missing', (_what, h, line) => {
    const d = difference(WANT, h)
    expect(d).toBeDefined()
    const text = kernelDiffers(WANT, d!)
    expect(text).toMatch(line)
    expect(text).not.toContain('\n')
  })
})
