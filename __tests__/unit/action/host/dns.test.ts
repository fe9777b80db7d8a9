import { dnsDown, dnsUp, resolvconfName } from '../../../../src/action/host/dns.js'
import { valid } from '../../../fixtures.mjs'
import { fields } from '../build.js'

const cfg = fields((n) => ({ ...valid, dns: '192.0.2.53, corp.example\n2001:db8::53' })[n] ?? '')

describe('DNS as wg-quick applies it', () => {
  it('splits servers from search domains', () => {
    expect(cfg.dns).toEqual(['192.0.2.53', '2001:db8::53'])
    expect(cfg.dnsSearch).toEqual(['corp.example'])
  })
  it('through systemd-resolved: servers on the link, every query routed to them', () => {
    expect(dnsUp(cfg, 'resolvectl', 'wg0')).toEqual([
      { argv: ['resolvectl', 'dns', 'wg0', '192.0.2.53', '2001:db8::53'] },
      { argv: ['resolvectl', 'domain', 'wg0', 'corp.example', '~.'] }
    ])
    expect(dnsDown('resolvectl', 'wg0')).toEqual({ argv: ['resolvectl', 'revert', 'wg0'] })
  })
  it('through resolvconf, exclusive, under the interface-order prefix', () => {
    expect(dnsUp(cfg, 'resolvconf', 'tun.wg0')).toEqual([
      {
        argv: ['resolvconf', '-a', 'tun.wg0', '-m', '0', '-x'],
        input: 'nameserver 192.0.2.53\nnameserver 2001:db8::53\nsearch corp.example\n'
      }
    ])
    expect(dnsDown('resolvconf', 'tun.wg0')).toEqual({ argv: ['resolvconf', '-d', 'tun.wg0', '-f'] })
    expect(resolvconfName('wg0', '# order\nlo.inet*\ntun*\ntap*\n')).toBe('tun.wg0')
    expect(resolvconfName('wg0', '')).toBe('wg0')
  })
})
