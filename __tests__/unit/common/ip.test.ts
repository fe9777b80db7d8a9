import { canonicalAddress, contains, network, parsePrefix, prefixText, type Prefix } from '../../../src/common/ip.js'

const p = (text: string): Prefix => {
  const r = parsePrefix(text)
  if (typeof r === 'string') throw new Error(r)
  return r
}

describe('parsePrefix', () => {
  it.each([
    ['192.0.2.2/24', '192.0.2.2/24'],
    ['192.0.2.2', '192.0.2.2/32'],
    ['2001:DB8:0:0:0:0:0:1/64', '2001:db8::1/64'],
    ['2001:db8::', '2001:db8::/128'],
    ['::', '::/128'],
    ['::ffff:192.0.2.1', '::ffff:c000:201/128'],
    ['fe80::1:0:0:1', 'fe80::1:0:0:1/128'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3/128']
  ])('%s is %s', (text, want) => {
    expect(prefixText(p(text))).toBe(want)
  })

  it.each([
    '256.0.0.1',
    '1.2.3',
    '01.2.3.4',
    '1.2.3.4/33',
    '1.2.3.4/-1',
    '1.2.3.4/',
    'fe80::1::2',
    '2001:db8::/129',
    'x',
    '',
    '1:2:3:4:5:6:7:8:9',
    '1.2.3.4/08'
  ])('%s is refused', (text) => {
    expect(typeof parsePrefix(text)).toBe('string')
  })
})

describe('network and contains', () => {
  it('clears host bits', () => {
    expect(prefixText(network(p('192.0.2.130/25')))).toBe('192.0.2.128/25')
    expect(prefixText(network(p('2001:db8:1:2::5/48')))).toBe('2001:db8:1::/48')
    expect(prefixText(network(p('10.1.2.3/0')))).toBe('0.0.0.0/0')
  })
  it('knows containment', () => {
    expect(contains(p('192.0.2.0/24'), p('192.0.2.7/32'))).toBe(true)
    expect(contains(p('192.0.2.0/24'), p('192.0.3.0/24'))).toBe(false)
    expect(contains(p('192.0.2.0/25'), p('192.0.2.0/24'))).toBe(false)
    expect(contains(p('::/0'), p('192.0.2.0/24'))).toBe(false)
  })
  it('canonicalises', () => {
    expect(canonicalAddress('2001:0db8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1')
    expect(canonicalAddress('nope')).toBeUndefined()
  })
})
