import { Journal, parseJournal, SRC_VALID_MARK, validRecord } from '../../../../src/action/journal/journal.js'

describe('the journal', () => {
  it('persists each record before the caller acts on it, and every change after', () => {
    const saved: string[] = []
    const j = new Journal((t) => saved.push(t))
    const link = j.add({ kind: 'interface', name: 'wg0', netns: 'net:[4026531840]' })
    expect(JSON.parse(saved[0] as string)).toEqual([{ kind: 'interface', name: 'wg0', netns: 'net:[4026531840]' }])
    j.update(link, { ifindex: 7 })
    expect(JSON.parse(saved[1] as string)[0].ifindex).toBe(7)
    const rule = j.add({ kind: 'rule', family: 4, priority: 32765, selector: 'not fwmark 51820 table 51820' })
    expect(j.find('rule')).toBe(rule)
    j.remove(rule)
    j.remove(rule)
    expect(saved).toHaveLength(4)
    j.remove(link)
    expect(saved[4]).toBe('')
    expect(j.empty).toBe(true)
  })
  it('reads back what it wrote', () => {
    let text = ''
    const j = new Journal((t) => (text = t))
    j.add({ kind: 'interface', name: 'wg0', netns: 'net:[1]', ifindex: 3 })
    j.add({
      kind: 'wireguard-go',
      name: 'wg0',
      since: 1234,
      pid: 99,
      start: '1240',
      socket: '20:311:1764140000123456789'
    })
    j.add({ kind: 'rule', family: 6, priority: 32764, selector: 'table main suppress_prefixlength 0' })
    j.add({ kind: 'sysctl', key: SRC_VALID_MARK, was: '0' })
    j.add({ kind: 'sysctl', key: SRC_VALID_MARK, owner: '0123456789abcdef0123456789abcdef' })
    j.add({ kind: 'dns', manager: 'resolvconf', name: 'tun.wg0', iface: 'wg0' })
    j.add({ kind: 'file', path: '/tmp/runner/wireguard-tunnel-AbC123' })
    expect(parseJournal(text)).toEqual(j.records)
  })
  it('drops what post must not hand to a command: crafted or damaged records', () => {
    const bad = [
      { kind: 'interface', name: 'wg0; reboot' },
      { kind: 'interface', name: '--version' },
      { kind: 'rule', family: 4, priority: 32765, selector: 'from all lookup main' },
      { kind: 'rule', family: 5, priority: 32765, selector: 'table main suppress_prefixlength 0' },
      { kind: 'rule', family: 4, priority: 0, selector: 'table main suppress_prefixlength 0' },
      { kind: 'sysctl', key: 'kernel.panic', was: '1' },
      { kind: 'sysctl', key: SRC_VALID_MARK, owner: '../../etc/passwd' },
      { kind: 'sysctl', key: SRC_VALID_MARK },
      { kind: 'file', path: '/etc' },
      { kind: 'file', path: '/tmp/../etc/wireguard-tunnel-AbC123' },
      { kind: 'wireguard-go', name: 'wg0', since: 'soon' },
      { kind: 'dns', manager: 'rm', name: 'wg0', iface: 'wg0' },
      { kind: 'unknown' },
      null
    ]
    for (const rec of bad) expect(validRecord(rec)).toBeUndefined()
    expect(parseJournal('not json')).toEqual([])
    expect(parseJournal('{"kind":"file"}')).toEqual([])
  })
})
