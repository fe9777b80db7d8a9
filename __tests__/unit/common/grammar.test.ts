// The grammar both programs read values with: each rule once, tested here; the contract test
// (contract.test.ts) holds the gateway's configuration and the action's lease check to it together.
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import {
  interfaceProblem,
  isHostName,
  isKey,
  isLoopback,
  isPeerKey,
  parseHostPort,
  parsePort,
  wgEndpoint
} from '../../../src/common/grammar.js'

const key = (): string => randomBytes(32).toString('base64')

describe('interface names', () => {
  it.each(['wg0', 'a', 'tun.ci-1', 'x_=+', 'abcdefghijklmno'])('takes %s', (name) => {
    expect(interfaceProblem(name)).toBeUndefined()
  })
  it.each([
    ['-x', /starts with "-"/],
    ['.', /reserves/],
    ['..', /reserves/],
    ['all', /reserves/],
    ['Default', /reserves/],
    ['', /1 to 15 characters/],
    ['abcdefghijklmnop', /1 to 15 characters/],
    ['wg 0', /1 to 15 characters/],
    ['wg/0', /1 to 15 characters/]
  ])('refuses %j', (name, why) => {
    expect(interfaceProblem(name)).toMatch(why)
  })
})

describe('keys', () => {
  it('takes base64 of 32 bytes as wg reads it, and only that', () => {
    expect(isKey(key())).toBe(true)
    expect(isKey(randomBytes(31).toString('base64'))).toBe(false)
    expect(isKey(randomBytes(33).toString('base64'))).toBe(false)
    expect(isKey(`${key().slice(0, 42)}B=`)).toBe(false) // padding bits not zero
    expect(isKey(key().slice(0, 43))).toBe(false)
    expect(isKey(42)).toBe(false)
  })
  it('takes no all-zero key as a peer key', () => {
    const zero = Buffer.alloc(32).toString('base64')
    expect(isKey(zero)).toBe(true)
    expect(isPeerKey(zero)).toBe(false)
    expect(isPeerKey(key())).toBe(true)
    expect(isPeerKey(undefined)).toBe(false)
  })
})

describe('host names', () => {
  it.each(['vpn.example.com', 'vpn.example.com.', '_wg._udp.example.com', 'a', 'x-1.y'])('takes %s', (h) => {
    expect(isHostName(h)).toBe(true)
  })
  it.each(['-vpn.example.com', 'vpn-.example.com', 'a..b', '1.2.3', '10.0.0.1', 'a b', `${'a'.repeat(64)}.com`, ''])(
    'refuses %j',
    (h) => {
      expect(isHostName(h)).toBe(false)
    }
  )
  it('refuses a name over 253 characters', () => {
    expect(isHostName(Array(64).fill('abc').join('.'))).toBe(false)
  })
})

describe('HOST:PORT', () => {
  it('reads ports 1 to 65535 only', () => {
    expect([parsePort('1'), parsePort('65535'), parsePort('0'), parsePort('65536'), parsePort('+1')]).toEqual([
      1,
      65535,
      undefined,
      undefined,
      undefined
    ])
  })
  it('strict form: an IPv6 address only in brackets', () => {
    expect(parseHostPort('vpn.example.com:51820')).toEqual({ host: 'vpn.example.com', port: 51820 })
    expect(parseHostPort('[2001:DB8::1]:51820')).toEqual({ host: '2001:db8::1', port: 51820 })
    expect(parseHostPort('192.0.2.1:1')).toEqual({ host: '192.0.2.1', port: 1 })
    expect(parseHostPort('2001:db8::1:51820')).toBeUndefined()
    expect(parseHostPort('vpn.example.com')).toBeUndefined()
    expect(parseHostPort('[192.0.2.1]:51820')).toEqual({ problem: 'brackets', host: '192.0.2.1' })
    expect(parseHostPort('-x:51820')).toEqual({ problem: 'host', host: '-x' })
    expect(parseHostPort('vpn:0')).toEqual({ problem: 'port', host: 'vpn' })
  })
  it('wg form: an unbracketed IPv6 address ends at the last colon, as wg(8) splits it', () => {
    expect(wgEndpoint('2001:db8::1:51820')).toEqual({ host: '2001:db8::1', port: 51820 })
    expect(wgEndpoint('[2001:db8::1]:51820')).toEqual({ host: '2001:db8::1', port: 51820 })
    expect(wgEndpoint('_wg.example.com:51820')).toEqual({ host: '_wg.example.com', port: 51820 })
    expect(wgEndpoint('vpn:0')).toBe('port must be a number from 1 to 65535')
    expect(wgEndpoint('[2001:db8::1')).toBe('has a "[" without its "]"')
    expect(wgEndpoint('2001:db8::g:1')).toBe('has a host that is not a valid IPv6 address')
  })
  it('the strict form is a subset of the wg form', () => {
    for (const text of ['vpn.example.com:51820', '[2001:db8::1]:51820', '192.0.2.1:1', '_a:65535']) {
      const strict = parseHostPort(text)
      expect(strict).toEqual(wgEndpoint(text))
    }
  })
})

describe('loopback', () => {
  it.each(['127.0.0.1', '127.5.5.5', '::1', '[::1]', '0:0::1', 'localhost', 'LOCALHOST'])('%s is this machine', (h) => {
    expect(isLoopback(h)).toBe(true)
  })
  it.each([
    '0.0.0.0',
    '::',
    '10.0.0.1',
    '::2',
    'example.com',
    'localhost.example.com',
    '128.0.0.1',
    '127.0.0',
    'api.localhost'
  ])('%s is not', (h) => {
    expect(isLoopback(h)).toBe(false)
  })
})
