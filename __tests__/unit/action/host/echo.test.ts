// The commands echoed as wg-quick echoes them: what a bring-up of a dual-stack full tunnel prints,
// inside one collapsed group per phase, with no key on any line.
import { jest } from '@jest/globals'
import { PEER, PRIVATE, PSK } from '../../../fixtures.mjs'
import {
  batchCommands,
  commandGroup,
  echo,
  echoBatch,
  endCommandGroup,
  shownCommand
} from '../../../../src/action/host/echo.js'
import { keepaliveRestore } from '../../../../src/action/backend/wgcommand.js'
import { linkBatch, placeRules, routeBatch, routingPlan, ruleLine } from '../../../../src/action/host/plan.js'
import { parsePrefix, type Prefix } from '../../../../src/common/ip.js'

const P = (t: string): Prefix => parsePrefix(t) as Prefix

/** What `call` writes to stdout, line by line. */
function linesOf(call: () => void): string[] {
  const chunks: string[] = []
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk))
    return true
  })
  try {
    call()
  } finally {
    spy.mockRestore()
  }
  return chunks
    .join('')
    .split('\n')
    .filter((l) => l !== '')
}

describe('echoed commands', () => {
  it('names programs as typed, not by path', () => {
    expect(shownCommand(['/usr/sbin/ip', 'link', 'add', 'dev', 'wg0', 'type', 'wireguard'])).toBe(
      'ip link add dev wg0 type wireguard'
    )
  })

  it("writes each line of an ip -batch script as wg-quick's ip commands, with their family", () => {
    const addresses = [P('10.0.0.2/24'), P('fd00::2/64')]
    expect(batchCommands([], linkBatch('wg0', addresses, 1420))).toEqual([
      'ip -4 address add 10.0.0.2/24 dev wg0',
      'ip -6 address add fd00::2/64 dev wg0',
      'ip link set mtu 1420 up dev wg0'
    ])
    const t = {
      addresses,
      table: 'auto' as const,
      peers: [{ allowedIps: [P('0.0.0.0/0'), P('::/0'), P('192.168.9.0/24')] }]
    }
    const plan = routingPlan(t, 51820)
    const rules = placeRules(plan.rules, { 4: [0, 32766, 32767], 6: [0, 32766] })
    expect(batchCommands([], routeBatch('wg0', plan, rules))).toEqual([
      'ip -4 route add 0.0.0.0/0 dev wg0 table 51820',
      'ip -6 route add ::/0 dev wg0 table 51820',
      'ip -4 route add 192.168.9.0/24 dev wg0',
      'ip -4 rule add not fwmark 51820 table 51820 priority 32765',
      'ip -4 rule add table main suppress_prefixlength 0 priority 32764'
    ])
    const v6 = rules.filter((r) => r.family === 6).map((r) => `${ruleLine(r, 'add')}\n`)
    expect(batchCommands(['-6'], v6.join(''))).toEqual([
      'ip -6 rule add not fwmark 51820 table 51820 priority 32765',
      'ip -6 rule add table main suppress_prefixlength 0 priority 32764'
    ])
  })

  it('puts the commands of a phase in one group, opened at the first and closed before what follows', () => {
    const lines = linesOf(() => {
      commandGroup('Bringing up wg0')
      echo(['/usr/bin/wireguard-go', 'wg0'])
      echo(['wg', 'setconf', 'wg0', '/dev/fd/63'])
      echoBatch([], 'link set mtu 1420 up dev wg0\n')
      endCommandGroup()
      endCommandGroup()
      commandGroup('Rolling back wg0')
      endCommandGroup()
    })
    expect(lines).toEqual([
      '::group::Bringing up wg0',
      '[#] wireguard-go wg0',
      '[#] wg setconf wg0 /dev/fd/63',
      '[#] ip link set mtu 1420 up dev wg0',
      '::endgroup::'
    ])
  })

  it('shows no secret: the keepalive restore names public keys only', () => {
    const endpoint = { host: '192.0.2.1', port: 51820, source: { input: 'endpoint' as const } }
    const t = {
      privateKey: PRIVATE,
      peers: [{ publicKey: PEER, presharedKey: PSK, allowedIps: [], keepalive: 0, endpoint }]
    }
    const lines = linesOf(() => {
      commandGroup('Bringing up wg0')
      echo(['wg', ...(keepaliveRestore('wg0', t) ?? [])])
      endCommandGroup()
    })
    expect(lines[1]).toBe(`[#] wg set wg0 peer ${PEER} persistent-keepalive off`)
    for (const l of lines) {
      expect(l).not.toContain(PRIVATE)
      expect(l).not.toContain(PSK)
    }
  })
})
