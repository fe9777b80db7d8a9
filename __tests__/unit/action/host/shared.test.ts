// The record overlapping jobs share for src_valid_mark: whichever of ours ends last puts back what
// the first of ours found, whatever the order, and jobs that died without post do not hold it.
import {
  joined,
  left,
  parseRecord,
  recordPath,
  type Owner,
  type SharedRecord
} from '../../../../src/action/host/shared.js'
import { liveFullTunnel } from '../../../../src/action/journal/teardown.js'

const A: Owner = { id: 'a'.repeat(32), iface: 'wg0', ifindex: 7 }
const B: Owner = { id: 'b'.repeat(32), iface: 'wg1', ifindex: 9 }
const C: Owner = { id: 'c'.repeat(32), iface: 'wg2', ifindex: 11 }

/** Plays joins and leaves on one namespace, as the jobs would, with a value that each join sets to 1. */
function play(start: string, steps: ['join' | 'leave', Owner][], dead = new Set<string>()) {
  let record: SharedRecord | undefined
  let value = start
  const alive = (o: Owner): boolean => !dead.has(o.id)
  for (const [what, o] of steps) {
    if (what === 'join') {
      record = joined(record, value, o, alive)
      value = '1'
    } else {
      const l = left(record, o.id, alive)
      if (l && 'keep' in l) record = l.keep
      else if (l) {
        value = l.restore
        record = undefined
      }
    }
  }
  return { record, value }
}

describe('src_valid_mark shared by overlapping full tunnels', () => {
  it.each([
    [
      'the first to start ends last',
      [
        ['join', A],
        ['join', B],
        ['leave', B],
        ['leave', A]
      ]
    ],
    [
      'the second to start ends last (the case that left it at 1)',
      [
        ['join', A],
        ['join', B],
        ['leave', A],
        ['leave', B]
      ]
    ],
    [
      'three, interleaved',
      [
        ['join', A],
        ['join', B],
        ['leave', A],
        ['join', C],
        ['leave', B],
        ['leave', C]
      ]
    ],
    [
      'one after the other',
      [
        ['join', A],
        ['leave', A],
        ['join', B],
        ['leave', B]
      ]
    ]
  ] as const)('%s: back to what the first found, no record left', (_name, steps) => {
    for (const start of ['0', '2']) {
      const end = play(start, steps as unknown as ['join' | 'leave', Owner][])
      expect(end).toEqual({ record: undefined, value: start })
    }
  })

  it('a value of 1 found before any of ours stays 1', () => {
    expect(
      play('1', [
        ['join', A],
        ['join', B],
        ['leave', A],
        ['leave', B]
      ])
    ).toEqual({ record: undefined, value: '1' })
  })

  it('keeps the value while another live owner needs it', () => {
    const r = play('0', [
      ['join', A],
      ['join', B],
      ['leave', A]
    ])
    expect(r).toEqual({ record: { was: '0', owners: [B] }, value: '1' })
  })

  it('an owner whose interface is gone (killed before post) does not hold it; its original is kept', () => {
    // A found 0 and died without post; B comes later, finds 1, and ends last: back to 0.
    expect(
      play(
        '0',
        [
          ['join', A],
          ['join', B],
          ['leave', B]
        ],
        new Set([A.id])
      )
    ).toEqual({ record: undefined, value: '0' })
  })

  it('a value other than 1 proves no live owner relies on the record: it starts afresh', () => {
    const stale: SharedRecord = { was: '0', owners: [A] }
    expect(joined(stale, '2', B, () => false)).toEqual({ was: '2', owners: [B] })
    // Joining twice with one id does not count twice.
    expect(joined({ was: '0', owners: [A] }, '1', A, () => true)).toEqual({ was: '0', owners: [A] })
  })

  it('leaving a record that is not there does nothing', () => {
    expect(left(undefined, A.id, () => true)).toBeUndefined()
  })

  it('reads only a record it can trust, per network namespace', () => {
    expect(parseRecord(JSON.stringify({ was: '0', owners: [A, { id: 'x', iface: 'wg9', ifindex: 1 }] }))).toEqual({
      was: '0',
      owners: [A]
    })
    for (const bad of ['', 'not json', '{"was":"10","owners":[]}', '{"was":"0"}', 'null'])
      expect(parseRecord(bad)).toBeUndefined()
    expect(recordPath('net:[4026531840]')).toBe('/run/wireguard-tunnel/src_valid_mark.4026531840.json')
  })
})

describe('a full tunnel that is not ours keeps src_valid_mark at 1 only while it is live', () => {
  const rules =
    '0:\tfrom all lookup local\n32764:\tfrom all lookup main suppress_prefixlength 0\n32765:\tnot from all fwmark 0xca6c lookup 51820\n32766:\tfrom all lookup main\n'
  it('a rule whose table routes is a live tunnel; one whose table is empty is a leftover', () => {
    expect(liveFullTunnel(rules, 'default dev wg9 table 51820 scope link\n198.51.100.0/24 dev eth0\n')).toBe(true)
    expect(liveFullTunnel(rules, '198.51.100.0/24 dev eth0\n')).toBe(false)
    expect(liveFullTunnel(rules, 'default dev wg9 table 518200 scope link\n')).toBe(false)
    expect(liveFullTunnel('0:\tfrom all lookup local\n', 'default dev wg9 table 51820\n')).toBe(false)
  })
})
