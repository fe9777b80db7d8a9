import { buildFlatConfig as buildConfig, type FlatConfig as Config } from '../../src/config.js'
import {
  autoMtu,
  downBatch,
  keepaliveRestore,
  pickTable,
  routeText,
  routingPlan,
  ruleLines,
  upBatch,
  wgConf
} from '../../src/plan.js'
import { commandLine } from '../../src/run.js'
import { parseHandshakes } from '../../src/verify.js'
import { parseWgQuick } from '../../src/wgquick.js'
import { PEER, PRIVATE, PSK, valid } from '../fixtures.mjs'

const fields = (inputs: Record<string, string>): Config => buildConfig((n) => ({ ...valid, ...inputs })[n] ?? '')
const quick = (
  body: string,
  peers = `[Peer]\nPublicKey = ${PEER}\nEndpoint = 198.51.100.1:51820\nAllowedIPs = 0.0.0.0/0, ::/0\n`
): Config =>
  buildConfig(
    (n) => ({ config: `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\n${body}\n${peers}` })[n] ?? ''
  )

describe('the wg setconf file', () => {
  it('carries key, peer, endpoint as resolved, allowed IPs and keepalive', () => {
    const cfg = fields({
      'preshared-key': PSK,
      endpoint: 'vpn.example.com:51820',
      'allowed-ips': '192.0.2.0/24, 2001:db8::/32'
    })
    expect(wgConf(cfg, new Map([['vpn.example.com', '2001:db8:ff::1']]))).toBe(
      `[Interface]\nPrivateKey = ${PRIVATE}\n\n[Peer]\nPublicKey = ${PEER}\nPresharedKey = ${PSK}\nEndpoint = [2001:db8:ff::1]:51820\nAllowedIPs = 192.0.2.0/24, 2001:db8::/32\nPersistentKeepalive = 25\n`
    )
  })
  it('probes a keepalive-off peer with a keepalive, then turns it off', () => {
    const cfg = fields({ 'persistent-keepalive': '0' })
    expect(wgConf(cfg, new Map())).toContain('PersistentKeepalive = 25')
    expect(keepaliveRestore(cfg)).toEqual(['set', 'wg0', 'peer', PEER, 'persistent-keepalive', 'off'])
    expect(keepaliveRestore(fields({}))).toBeUndefined()
  })
})

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
    expect(upBatch(cfg, 1420, plan)).toBe(
      'address add 192.0.2.2/24 dev wg0\naddress add 2001:db8:1::2/64 dev wg0\nlink set mtu 1420 up dev wg0\nroute add 2001:db8:2::/48 dev wg0\nroute add 10.1.2.0/24 dev wg0\nroute add 10.0.0.0/8 dev wg0\n'
    )
  })
  it('a full tunnel: policy table, not-fwmark rule, suppress_prefixlength 0, src_valid_mark', () => {
    const cfg = quick('')
    const plan = routingPlan(cfg, 51820)
    expect(plan.fwmark).toBe(51820)
    expect(plan.srcValidMark).toBe(true)
    expect(plan.routes.map(routeText)).toEqual(['0.0.0.0/0 table 51820', '::/0 table 51820'])
    expect(plan.rules).toEqual([
      '-4 not fwmark 51820 table 51820',
      '-4 table main suppress_prefixlength 0',
      '-6 not fwmark 51820 table 51820',
      '-6 table main suppress_prefixlength 0'
    ])
    expect(upBatch(cfg, 1420, plan)).toContain(
      'rule add not fwmark 51820 table 51820\nrule add table main suppress_prefixlength 0\n'
    )
    expect(ruleLines(plan.rules, '-6', 'add')).toEqual([
      'rule add not fwmark 51820 table 51820',
      'rule add table main suppress_prefixlength 0'
    ])
    expect(wgConf(cfg, new Map(), plan.fwmark)).toContain('FwMark = 51820')
    expect(downBatch('wg0', plan.routes.map(routeText), plan.rules)).toBe(
      'rule del not fwmark 51820 table 51820\nrule del table main suppress_prefixlength 0\nroute del 0.0.0.0/0 dev wg0 table 51820\nroute del ::/0 dev wg0 table 51820\nlink delete dev wg0\n'
    )
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
  it('picks the first free table from 51820', () => {
    expect(pickTable(new Set())).toBe(51820)
    expect(pickTable(new Set([51820, 51821, 51823]))).toBe(51822)
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

describe('commands and their output', () => {
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
  it('reads latest handshakes', () => {
    expect(parseHandshakes(`${PEER}\t1700000000\n${PSK}\t0\n`)).toEqual(
      new Map([
        [PEER, 1700000000],
        [PSK, 0]
      ])
    )
  })
})

describe('why an interface could not be made', () => {
  it('names the fix for job containers', async () => {
    const { explainCreateFailure } = await import('../../src/up.js')
    expect(explainCreateFailure('RTNETLINK answers: Operation not permitted\n')).toBe(
      'RTNETLINK answers: Operation not permitted: this step may not create network interfaces (CAP_NET_ADMIN); in a job container, add options: --cap-add=NET_ADMIN --device=/dev/net/tun'
    )
    expect(
      explainCreateFailure(
        '┌──┐\n│ banner │\n\nERROR: (wg0) 2026/11/26 01:06:36 Failed to create TUN device: open /dev/net/tun: no such file or directory\n'
      )
    ).toBe(
      'Failed to create TUN device: open /dev/net/tun: no such file or directory: wireguard-go needs /dev/net/tun; in a job container, add options: --device=/dev/net/tun --cap-add=NET_ADMIN'
    )
    expect(explainCreateFailure('')).toBe('no reason given')
  })
})
