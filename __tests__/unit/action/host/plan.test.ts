import {
  autoMtu,
  linkBatch,
  pickTable,
  placeRules,
  policyRouteCount,
  routeBatch,
  routeText,
  routingPlan,
  rulePriorities,
  tablesInUse
} from '../../../../src/action/host/plan.js'
import { explainCreateFailure } from '../../../../src/action/report/messages.js'
import { commandLine } from '../../../../src/action/host/run.js'
import { parseWgQuick } from '../../../../src/action/inputs/wgquick.js'
import { PEER, PRIVATE, PSK, valid } from '../../../fixtures.mjs'
import { fields as read, type Fields } from '../build.js'

const fields = (inputs: Record<string, string>): Fields => read((n) => ({ ...valid, ...inputs })[n] ?? '')
const quick = (
  body: string,
  peers = `[Peer]\nPublicKey = ${PEER}\nEndpoint = 198.51.100.1:51820\nAllowedIPs = 0.0.0.0/0, ::/0\n`
): Fields =>
  read((n) => ({ config: `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\n${body}\n${peers}` })[n] ?? '')

/** A fresh namespace's rules: local 0, main 32766, default 32767. */
const FRESH = { 4: [0, 32766, 32767], 6: [0, 32766] }

describe('routing as wg-quick does it', () => {
  it('one route per allowed IP, most specific first, none where an address network covers it', () => {
    const cfg = fields({
      address: '192.0.2.2/24, 2001:db8:1::2/64',
      'allowed-ips': '10.0.0.0/8, 192.0.2.0/24, 10.1.2.0/24, 2001:db8:1::/64, 2001:db8:2::/48'
    })
    const plan = routingPlan(cfg, 0)
    // wg-quick sorts by prefix length alone (`sort -nr -k 2 -t /`), across families.
    expect(plan.routes.map(routeText)).toEqual(['2001:db8:2::/48', '10.1.2.0/24', '10.0.0.0/8'])
    expect(plan.rules).toEqual([])
    expect(linkBatch('wg0', cfg.addresses, 1420)).toBe(
      'address add 192.0.2.2/24 dev wg0\naddress add 2001:db8:1::2/64 dev wg0\nlink set mtu 1420 up dev wg0\n'
    )
    expect(routeBatch('wg0', plan, [])).toBe(
      'route add 2001:db8:2::/48 dev wg0\nroute add 10.1.2.0/24 dev wg0\nroute add 10.0.0.0/8 dev wg0\n'
    )
  })
  it('a full tunnel: policy table first, rules at the priorities the kernel would give, src_valid_mark', () => {
    const cfg = quick('')
    const plan = routingPlan(cfg, 51820)
    expect(plan.fwmark).toBe(51820)
    expect(plan.srcValidMark).toBe(true)
    expect(plan.routes.map(routeText)).toEqual(['0.0.0.0/0 table 51820', '::/0 table 51820'])
    expect(plan.rules).toEqual([
      { family: 4, selector: 'not fwmark 51820 table 51820' },
      { family: 4, selector: 'table main suppress_prefixlength 0' },
      { family: 6, selector: 'not fwmark 51820 table 51820' },
      { family: 6, selector: 'table main suppress_prefixlength 0' }
    ])
    const placed = placeRules(plan.rules, FRESH)
    // wg-quick's rules, added without a priority, get 32765 then 32764 in each family.
    expect(placed.map((r) => r.priority)).toEqual([32765, 32764, 32765, 32764])
    expect(routeBatch('wg0', plan, placed)).toBe(
      'route add 0.0.0.0/0 dev wg0 table 51820\nroute add ::/0 dev wg0 table 51820\n' +
        'rule add not fwmark 51820 table 51820 priority 32765\nrule add table main suppress_prefixlength 0 priority 32764\n'
    )
    expect(policyRouteCount(plan)).toBe(2)
  })
  it('places rules below another tunnel’s and never on a priority in use', () => {
    const rules = routingPlan(quick(''), 51821).rules.filter((r) => r.family === 4)
    expect(placeRules(rules, { 4: [0, 32764, 32765, 32766, 32767], 6: [] }).map((r) => r.priority)).toEqual([
      32763, 32762
    ])
    expect(placeRules(rules, { 4: [0, 1, 32766], 6: [] }).map((r) => r.priority)).toEqual([32765, 32764])
    expect(rulePriorities('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n')).toEqual([0, 32766])
  })
  it('Table = off adds no route; a numeric table gets every allowed IP, covered or not', () => {
    expect(routingPlan(quick('Table = off'), 51820)).toEqual({ routes: [], rules: [], srcValidMark: false })
    const numbered = routingPlan(
      quick('Table = 1234', `[Peer]\nPublicKey = ${PEER}\nAllowedIPs = 192.0.2.0/24, 0.0.0.0/0\n`),
      51820
    )
    expect(numbered.routes.map(routeText)).toEqual(['192.0.2.0/24 table 1234', '0.0.0.0/0 table 1234'])
    expect(numbered.rules).toEqual([])
  })
  it('picks the first table from 51820 that no route names and no rule looks up', () => {
    expect(pickTable(new Set())).toBe(51820)
    expect(pickTable(new Set([51820, 51821, 51823]))).toBe(51822)
    const used = tablesInUse(
      'default dev wg1 table 51820 scope link\nlocal 127.0.0.1 dev lo table local\n',
      '32765:\tnot from all fwmark 0xca6d lookup 51821\n32766:\tfrom all lookup main\n'
    )
    expect(used).toEqual(new Set([51820, 51821]))
    expect(pickTable(used)).toBe(51822)
  })
  it('MTU: the largest endpoint route MTU minus 80, else 1500 minus 80', () => {
    expect(autoMtu([1500, 9001])).toBe(8921)
    expect(autoMtu([0])).toBe(1420)
    expect(autoMtu([])).toBe(1420)
  })
  it('parses several peers into one plan', () => {
    const cfg = parseWgQuick(
      `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/32\n[Peer]\nPublicKey = ${PEER}\nAllowedIPs = 10.1.0.0/16\n[Peer]\nPublicKey = ${PSK}\nAllowedIPs = 10.2.0.0/16, 10.1.0.0/16\n`
    )
    expect(routingPlan({ ...fields({}), ...cfg }, 0).routes.map(routeText)).toEqual(['10.1.0.0/16', '10.2.0.0/16'])
  })
})

describe('commands', () => {
  it('goes through sudo -n only when not root, with env kept by env(1)', () => {
    expect(commandLine(['wg', 'show'], { root: true, env: { WG_HIDE_KEYS: 'always' } }, false)).toEqual([
      'sudo',
      '-n',
      'env',
      'WG_HIDE_KEYS=always',
      'wg',
      'show'
    ])
    expect(commandLine(['wg', 'show'], { root: true }, true)).toEqual(['wg', 'show'])
    expect(commandLine(['ping', 'x'], {}, false)).toEqual(['ping', 'x'])
  })
})

describe('why an interface could not be made', () => {
  it('names the fix for job containers', () => {
    expect(explainCreateFailure('wg0', 'RTNETLINK answers: Operation not permitted\n')).toBe(
      'RTNETLINK answers: Operation not permitted: this step may not create network interfaces (CAP_NET_ADMIN); in a job container, add options: --cap-add=NET_ADMIN --device=/dev/net/tun'
    )
    expect(
      explainCreateFailure(
        'wg0',
        '┌──┐\n│ banner │\n\nERROR: (wg0) 2026/11/26 01:06:36 Failed to create TUN device: open /dev/net/tun: no such file or directory\n'
      )
    ).toBe(
      'Failed to create TUN device: open /dev/net/tun: no such file or directory: wireguard-go needs /dev/net/tun; in a job container, add options: --device=/dev/net/tun --cap-add=NET_ADMIN'
    )
    expect(explainCreateFailure('wg0', '')).toBe('no reason given')
  })
  it('a busy name is a name taken meanwhile, not a missing /dev/net/tun', () => {
    const said = 'ERROR: (wg0) 2026/11/26 01:06:36 Failed to create TUN device: device or resource busy\n'
    expect(explainCreateFailure('wg0', said)).toBe(
      'Failed to create TUN device: device or resource busy: an interface named wg0 was made meanwhile (by another job?); choose another name with the interface input'
    )
    expect(
      explainCreateFailure('wg0', 'ERROR: (wg0) 2026/11/26 01:06:36 UAPI listen error: unix socket in use\n')
    ).toMatch(/another wireguard-go serves the name wg0 \(perhaps in another network namespace or job/)
  })
})
