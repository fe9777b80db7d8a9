// Routing against a fake host: the policy table chosen among the free ones, rules recorded before
// they are added, and the trade of a table that another job claims between planning and adding
// (a race that end-to-end runs hit only by chance).
import { jest } from '@jest/globals'
import { fakeProbe, fakeRun, host } from '../__fixtures__/host.js'
import { fakeToolkit } from '../__fixtures__/toolkit.js'
import { parsePrefix, type Prefix } from '../../../../src/common/ip.js'
import { Journal, type Rec } from '../../../../src/action/journal/journal.js'
import type { Backend } from '../../../../src/action/backend/backend.js'

jest.unstable_mockModule('../../../../src/action/host/run.js', () => fakeRun)
jest.unstable_mockModule('../../../../src/action/host/probe.js', () => fakeProbe)
jest.unstable_mockModule('../../../../src/action/toolkit.js', () => fakeToolkit)
const { applyRouting, planRouting } = await import('../../../../src/action/host/routing.js')
const { CommandError } = await import('../../../../src/action/host/run.js')

const p = (text: string): Prefix => parsePrefix(text) as Prefix
/** A tunnel as routing sees it: its addresses, the peers' allowed IPs, Table and FwMark. */
const tunnel = (allowed: string[], extra: { table?: 'auto' | 'off' | number; fwmark?: number } = {}) => ({
  addresses: [p('10.9.0.2/24'), p('fd09::2/64')],
  peers: [{ allowedIps: allowed.map(p) }],
  table: extra.table ?? ('auto' as const),
  fwmark: extra.fwmark
})
const FULL = tunnel(['0.0.0.0/0', '::/0'])

/** A backend that only records the fwmarks it is given. */
function recordingBackend(): Backend & { fwmarks: number[] } {
  const fwmarks: number[] = []
  return {
    fwmarks,
    describe: 'test',
    configure: async () => undefined,
    setFwmark: async (mark) => void fwmarks.push(mark),
    handshakes: async () => new Map(),
    restoreKeepalive: async () => undefined
  }
}

let journal: Journal
/** For each save of the journal: how many steps had run (a record must be saved before its step). */
let savedAtStep: { steps: number; kinds: string[] }[]
const ctx = () => ({ iface: 'wg0', ip: '/usr/sbin/ip', journal, limits: {} })
const rules = (): Rec[] => journal.records.filter((r) => r.kind === 'rule')

beforeEach(async () => {
  await host.reset()
  host.addLink('wg0')
  savedAtStep = []
  journal = new Journal(() => savedAtStep.push({ steps: host.steps.length, kinds: journal.records.map((r) => r.kind) }))
})
afterEach(() => expect(host.unknown).toEqual([]))
afterAll(() => host.close())

describe('planning', () => {
  it('split routing reads nothing: no table, no rules', async () => {
    const plan = await planRouting(tunnel(['10.20.0.0/16']), ctx())
    expect(plan).toMatchObject({ rules: [], srcValidMark: false, priorities: { 4: [], 6: [] } })
    expect(plan.fwmark).toBeUndefined()
    expect(host.steps).toEqual([])
  })

  it('a full tunnel takes the first table from 51820 that no route names and no rule looks up', async () => {
    host.addLink('wg5')
    host.routes.push({ prefix: '0.0.0.0/0', dev: 'wg5', table: 51820 })
    host.rules.push({ family: 6, priority: 32765, selector: 'not fwmark 51821 table 51821' })
    const plan = await planRouting(FULL, ctx())
    expect(plan.fwmark).toBe(51822)
    expect(plan.priorities).toEqual({ 4: [0, 32766, 32767], 6: [0, 32765, 32766] })
    expect(host.steps.map((s) => s.text)).toEqual([
      'ip -4 route show table all',
      'ip -6 route show table all',
      'ip -4 rule show',
      'ip -6 rule show'
    ])
  })

  it('FwMark names the table: taken if free', async () => {
    expect((await planRouting(tunnel(['0.0.0.0/0'], { fwmark: 1234 }), ctx())).fwmark).toBe(1234)
  })

  it('FwMark naming a table in use is refused before anything is made', async () => {
    host.addLink('wg5')
    host.routes.push({ prefix: '10.0.0.0/8', dev: 'wg5', table: 1234 })
    await expect(planRouting(tunnel(['0.0.0.0/0'], { fwmark: 1234 }), ctx())).rejects.toThrow(
      /^FwMark 1234 names routing table 1234, which already holds routes or rules \(another tunnel's\?\); nothing was changed/
    )
    expect(host.effects()).toEqual([])
    expect(journal.empty).toBe(true)
  })
})

describe('applying', () => {
  it('split routing: the routes in one batch, nothing recorded (they go with the interface)', async () => {
    const t = tunnel(['10.20.0.0/16', '10.9.0.0/24'])
    await applyRouting(t, await planRouting(t, ctx()), recordingBackend(), ctx())
    expect(host.log()).toEqual(['ip -batch - <<< route add 10.20.0.0/16 dev wg0\n'])
    expect(journal.empty).toBe(true)
  })

  it('Table = off: nothing runs', async () => {
    const t = tunnel(['0.0.0.0/0'], { table: 'off' })
    await applyRouting(t, await planRouting(t, ctx()), recordingBackend(), ctx())
    expect(host.steps).toEqual([])
  })

  it('a full tunnel: src_valid_mark and each rule recorded before the step that makes it', async () => {
    const plan = await applyRouting(FULL, await planRouting(FULL, ctx()), recordingBackend(), ctx())
    expect(plan.fwmark).toBe(51820)
    const step = (text: string): number => host.steps.findIndex((s) => s.text === text)
    const sysctl = step('sysctl -q -w net.ipv4.conf.all.src_valid_mark=1')
    const batch = step('ip -batch: route add 0.0.0.0/0 dev wg0 table 51820')
    // Saved: the sysctl record before the sysctl ran; the four rules before the batch ran.
    expect(savedAtStep.slice(0, 5).map((s) => [s.steps, s.kinds.length])).toEqual([
      [sysctl, 1],
      [batch, 2],
      [batch, 3],
      [batch, 4],
      [batch, 5]
    ])
    expect(journal.records[0]).toEqual({ kind: 'sysctl', key: 'net.ipv4.conf.all.src_valid_mark', was: '0' })
    expect(rules()).toEqual([
      { kind: 'rule', family: 4, priority: 32765, selector: 'not fwmark 51820 table 51820' },
      { kind: 'rule', family: 4, priority: 32764, selector: 'table main suppress_prefixlength 0' },
      { kind: 'rule', family: 6, priority: 32765, selector: 'not fwmark 51820 table 51820' },
      { kind: 'rule', family: 6, priority: 32764, selector: 'table main suppress_prefixlength 0' }
    ])
    expect(host.rules).toEqual(expect.arrayContaining(rules().map(({ kind: _, ...r }) => r)))
  })

  it('src_valid_mark already 1: left alone, nothing recorded', async () => {
    host.srcValidMark = '1'
    await applyRouting(FULL, await planRouting(FULL, ctx()), recordingBackend(), ctx())
    expect(host.steps.map((s) => s.text)).not.toContainEqual(expect.stringMatching(/^sysctl/))
    expect(journal.find('sysctl')).toBeUndefined()
  })

  it('an IPv6-only full tunnel needs no src_valid_mark', async () => {
    const t = tunnel(['::/0'])
    await applyRouting(t, await planRouting(t, ctx()), recordingBackend(), ctx())
    expect(journal.find('sysctl')).toBeUndefined()
    expect(host.log().at(-1)).toBe(
      'ip -6 -batch - <<< rule add not fwmark 51820 table 51820 priority 32765\nrule add table main suppress_prefixlength 0 priority 32764\n'
    )
  })

  it('a table another job claims between planning and adding is traded for the next free one', async () => {
    const planned = await planRouting(FULL, ctx())
    // The other job adds its routes to 51820 (ours are planned there) just before ours go in.
    host.addLink('wg7')
    host.before(
      (s) => s.text === 'ip -batch: route add 0.0.0.0/0 dev wg0 table 51820',
      () => host.routes.push({ prefix: '0.0.0.0/0', dev: 'wg7', table: 51820 })
    )
    const backend = recordingBackend()
    const plan = await applyRouting(FULL, planned, backend, ctx())
    expect(plan.fwmark).toBe(51821)
    expect(backend.fwmarks).toEqual([51821])
    // The first attempt's rule records were taken back with it; the ones kept name the new table.
    expect(rules().map((r) => (r as { selector: string }).selector)).toEqual([
      'not fwmark 51821 table 51821',
      'table main suppress_prefixlength 0',
      'not fwmark 51821 table 51821',
      'table main suppress_prefixlength 0'
    ])
    // Only our interface's routes in that table were flushed: the other job's stay.
    expect(host.steps.map((s) => s.text)).toContain('ip -4 route flush dev wg0 table 51820')
    expect(host.routes).toContainEqual({ prefix: '0.0.0.0/0', dev: 'wg7', table: 51820 })
    expect(host.routes.filter((r) => r.dev === 'wg0').map((r) => r.table)).toEqual([51821, 51821])
  })

  it('gives up after five tables taken in turn, with the error ip gave', async () => {
    const planned = await planRouting(FULL, ctx())
    host.addLink('wg7')
    host.before(
      (s) => /^ip -batch: route add 0\.0\.0\.0\/0 dev wg0 table /.test(s.text),
      (s) => host.routes.push({ prefix: '0.0.0.0/0', dev: 'wg7', table: Number(s.text.split(' ').pop()) })
    )
    const backend = recordingBackend()
    const failure = applyRouting(FULL, planned, backend, ctx())
    await expect(failure).rejects.toBeInstanceOf(CommandError)
    await expect(failure).rejects.toThrow(/RTNETLINK answers: File exists/)
    expect(backend.fwmarks).toEqual([51821, 51822, 51823, 51824])
    // The rules of the last attempt stay recorded: the rollback deletes them (none was added).
    expect(rules()).toHaveLength(4)
    expect(host.rules.filter((r) => r.selector.includes('fwmark 5182'))).toEqual([])
  })

  it('FwMark given: a table taken meanwhile is not traded (the user named it)', async () => {
    const t = tunnel(['0.0.0.0/0'], { fwmark: 1234 })
    const planned = await planRouting(t, ctx())
    host.addLink('wg7')
    host.routes.push({ prefix: '0.0.0.0/0', dev: 'wg7', table: 1234 })
    const backend = recordingBackend()
    await expect(applyRouting(t, planned, backend, ctx())).rejects.toThrow(/File exists/)
    expect(backend.fwmarks).toEqual([])
  })

  it('"File exists" past the policy routes is no table taken: no trade', async () => {
    const planned = await planRouting(FULL, ctx())
    host.failOn((s) => s.text.startsWith('ip -batch: rule add'), { stderr: 'RTNETLINK answers: File exists' })
    const backend = recordingBackend()
    await expect(applyRouting(FULL, planned, backend, ctx())).rejects.toThrow(/Command failed -:3/)
    expect(backend.fwmarks).toEqual([])
    expect(rules()).toHaveLength(4)
  })

  it('the IPv6 rules failing is an error too', async () => {
    const planned = await planRouting(FULL, ctx())
    host.failOn((s) => s.text.startsWith('ip -6 -batch: rule add'), { stderr: 'RTNETLINK answers: Permission denied' })
    await expect(applyRouting(FULL, planned, recordingBackend(), ctx())).rejects.toThrow(
      /^`\/usr\/sbin\/ip -6 -batch -` failed \(exit 1\): RTNETLINK answers: Permission denied/
    )
  })
})
