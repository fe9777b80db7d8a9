// @ts-check
// Differential: each configuration of the corpus is brought up once with `wg-quick up` and once with
// the action (its `config` input), in the same runner namespace, and the results must match:
// `wg showconf` (listen port aside when the file sets none), addresses, MTU, routes, rules and
// src_valid_mark. Also: a full tunnel carries traffic and post restores the routing exactly.
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expectUp, L, mainThenPost } from './helpers.mjs'

/** @type {Map<string, L.Lab>} */
const labs = new Map()
afterAll(() => {
  for (const lab of labs.values()) L.destroyLab(lab)
})

/** One lab per kind of server set-up, shared by the configurations that need it. */
async function labFor(/** @type {string} */ kind) {
  let lab = labs.get(kind)
  if (!lab) labs.set(kind, (lab = L.createLab({ psk: kind === 'psk', second: kind === 'two' })))
  await lab.ready
  return lab
}

const peer1 = (/** @type {L.Lab} */ lab, extra = '') =>
  `[Peer]\nPublicKey = ${lab.serverPub}\nEndpoint = ${L.SERVER_IP}:${L.PORT}\n${extra}`
const iface = (/** @type {L.Lab} */ lab) => `[Interface]\nPrivateKey = ${lab.runnerKey}\n`

/** @type {[name: string, kind: string, make: (lab: L.Lab) => string, setup?: (lab: L.Lab) => void][]} */
const corpus = [
  [
    'IPv4',
    'one',
    (l) => `${iface(l)}Address = 192.0.2.2/24\n${peer1(l, 'AllowedIPs = 192.0.2.0/24\nPersistentKeepalive = 25\n')}`
  ],
  [
    'IPv4 host address, networks behind',
    'one',
    (l) => `${iface(l)}Address = 192.0.2.2/32\n${peer1(l, 'AllowedIPs = 192.0.2.0/24, 203.0.113.0/24\n')}`
  ],
  [
    'IPv6 over an IPv6 endpoint',
    'one',
    (l) =>
      `${iface(l)}Address = 2001:db8:1::2/64\n[Peer]\nPublicKey = ${l.serverPub}\nEndpoint = [${L.SERVER_IP6}]:${L.PORT}\nAllowedIPs = 2001:db8:1::/64, 2001:db8:2::/64\n`
  ],
  [
    'IPv6 endpoint without brackets (wg splits at the last colon)',
    'one',
    (l) =>
      `${iface(l)}Address = 2001:db8:1::2/64\n[Peer]\nPublicKey = ${l.serverPub}\nEndpoint = ${L.SERVER_IP6}:${L.PORT}\nAllowedIPs = 2001:db8:1::/64\n`
  ],
  [
    'dual stack',
    'one',
    (l) =>
      `${iface(l)}Address = 192.0.2.2/24, 2001:db8:1::2/64\n${peer1(l, 'AllowedIPs = 192.0.2.0/24, 2001:db8:1::/64, 203.0.113.0/24\n')}`
  ],
  [
    'two peers',
    'two',
    (l) =>
      `${iface(l)}Address = 192.0.2.2/24\n${peer1(l, 'AllowedIPs = 192.0.2.0/25, 203.0.113.0/24\n')}\n[Peer]\nPublicKey = ${l.serverPub2}\nEndpoint = ${L.SERVER2_IP}:${L.PORT}\nAllowedIPs = 192.0.2.128/25\n`
  ],
  ['full tunnel IPv4', 'one', (l) => `${iface(l)}Address = 192.0.2.2/24\n${peer1(l, 'AllowedIPs = 0.0.0.0/0\n')}`],
  [
    'full tunnel dual stack',
    'one',
    (l) => `${iface(l)}Address = 192.0.2.2/24, 2001:db8:1::2/64\n${peer1(l, 'AllowedIPs = 0.0.0.0/0, ::/0\n')}`
  ],
  [
    'full tunnel with FwMark',
    'one',
    (l) => `${iface(l)}Address = 192.0.2.2/24\nFwMark = 0x4242\n${peer1(l, 'AllowedIPs = 0.0.0.0/0\n')}`
  ],
  [
    'Table = off',
    'one',
    (l) => `${iface(l)}Address = 192.0.2.2/24\nTable = off\n${peer1(l, 'AllowedIPs = 192.0.2.0/24, 203.0.113.0/24\n')}`
  ],
  [
    'Table = 1234',
    'one',
    (l) =>
      `${iface(l)}Address = 192.0.2.2/24\nTable = 1234\n${peer1(l, 'AllowedIPs = 192.0.2.0/24, 203.0.113.0/24, 0.0.0.0/0\n')}`
  ],
  [
    'MTU given',
    'one',
    (l) => `${iface(l)}Address = 192.0.2.2/24\nMTU = 1280\n${peer1(l, 'AllowedIPs = 192.0.2.0/24\n')}`
  ],
  [
    'MTU automatic from a 1400 underlay',
    'one',
    (l) => `${iface(l)}Address = 192.0.2.2/24\n${peer1(l, 'AllowedIPs = 192.0.2.0/24\n')}`,
    (l) => L.sh(['ip', '-n', l.run, 'link', 'set', 'v-run', 'mtu', '1400'])
  ],
  [
    'preshared key',
    'psk',
    (l) => `${iface(l)}Address = 192.0.2.2/24\n${peer1(l, `PresharedKey = ${l.psk}\nAllowedIPs = 192.0.2.0/24\n`)}`
  ],
  [
    'keepalive off',
    'one',
    (l) => `${iface(l)}Address = 192.0.2.2/24\n${peer1(l, 'AllowedIPs = 192.0.2.0/24\nPersistentKeepalive = off\n')}`
  ],
  [
    'ListenPort and FwMark',
    'one',
    (l) =>
      `${iface(l)}Address = 192.0.2.2/24\nListenPort = 51999\nFwMark = 1234\n${peer1(l, 'AllowedIPs = 192.0.2.0/24\n')}`
  ],
  [
    'mixed case, comments, repeated keys',
    'one',
    (l) =>
      `# runner\n[INTERFACE]\nprivatekey = ${l.runnerKey} # key\naddress = 192.0.2.2/24\nADDRESS = 2001:db8:1::2/64\n\n[peer]\npublickey=${l.serverPub}\nendpoint = ${L.SERVER_IP}:${L.PORT}\nallowedips = 192.0.2.0/24\nAllowedIPs = 203.0.113.0/24,2001:db8:2::/64\npersistentkeepalive = 10\n`
  ],
  [
    'Table = main',
    'one',
    (l) =>
      `${iface(l)}Address = 192.0.2.2/24\nTable = main\n${peer1(l, 'AllowedIPs = 203.0.113.0/24, 2001:db8:2::/64\n')}`
  ]
]

describe('the action matches wg-quick', () => {
  it('has a corpus of at least 15 configurations', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(15)
  })

  it.each(
    corpus.map(
      ([name, kind, make, setup]) =>
        /** @type {[string, string, (lab: L.Lab) => string, ((lab: L.Lab) => void) | null]} */ ([
          name,
          kind,
          make,
          setup ?? null
        ])
    )
  )('%s', async (_name, kind, make, setup) => {
    const lab = await labFor(kind)
    const name = `wq${lab.id}`
    if (setup) setup(lab)
    const text = make(lab)
    const keepListenPort = /^\s*listenport/im.test(text)
    const dir = mkdtempSync(join(tmpdir(), 'wgt-wq-'))
    let reference
    try {
      writeFileSync(join(dir, `${name}.conf`), text, { mode: 0o600 })
      const before = L.snapshot(lab)
      const up = L.inRunner(lab, ['wg-quick', 'up', join(dir, `${name}.conf`)], 30000)
      if (up.status !== 0) throw new Error(`wg-quick up failed: ${up.stderr}`)
      reference = L.interfaceView(lab, name, keepListenPort)
      const down = L.inRunner(lab, ['wg-quick', 'down', join(dir, `${name}.conf`)], 30000)
      if (down.status !== 0) throw new Error(`wg-quick down failed: ${down.stderr}`)
      // wg-quick leaves src_valid_mark at 1; put it back so both start from the same state.
      L.inRunner(lab, ['sysctl', '-qw', `net.ipv4.conf.all.src_valid_mark=${before.srcValidMark.trim()}`])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    let ours
    await mainThenPost(
      lab,
      { config: text, interface: name, timeout: '10' },
      {
        between: (main) => {
          if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}\n${main.stderr}`)
          ours = L.interfaceView(lab, name, keepListenPort)
        }
      }
    )
    expect(ours).toEqual(reference)
    if (setup) L.sh(['ip', '-n', lab.run, 'link', 'set', 'v-run', 'mtu', '1500'])
  })
})

describe('a full tunnel', () => {
  it('carries traffic, keeps the endpoint reachable, and post restores the routing exactly', async () => {
    const lab = await labFor('full')
    const text = `${iface(lab)}Address = 192.0.2.2/24, ${L.RUNNER_ADDR6}/64\n${peer1(lab, 'AllowedIPs = 0.0.0.0/0, ::/0\n')}`
    await mainThenPost(
      lab,
      { config: text, interface: lab.iface, timeout: '10', check: `http://${L.BEHIND}:${L.HTTP_PORT}/` },
      {
        between: (main) => {
          // 203.0.113.1 is in no route of the runner but the tunnel's default.
          expectUp(lab, main, `http://${L.BEHIND}:${L.HTTP_PORT}/`)
          expect(L.curl(lab, `http://[${L.BEHIND6}]:${L.HTTP_PORT}/`).ok).toBe(true)
          expect(L.inRunner(lab, ['ip', 'route', 'get', L.BEHIND]).stdout).toContain(`dev ${lab.iface} table 51820`)
          // The endpoint itself still goes out of the underlay, not into the tunnel.
          expect(L.inRunner(lab, ['ip', 'route', 'get', L.SERVER_IP, 'mark', '51820']).stdout).toContain('dev v-run')
          expect(L.inRunner(lab, ['sysctl', '-n', 'net.ipv4.conf.all.src_valid_mark']).stdout.trim()).toBe('1')
        }
      }
    )
  })
})

// Where systemd-resolved runs, the action uses it and these two do not apply (a unit test covers that path).
;(L.RESOLVED ? describe.skip : describe)('DNS without systemd-resolved', () => {
  it('goes through resolvconf where that is what the system has, and is reverted in post', async () => {
    const lab = await labFor('one')
    // A resolvconf that records its calls, first on PATH: the lab must not change this machine's DNS.
    const stubs = mkdtempSync(join(tmpdir(), 'wgt-resolvconf-'))
    try {
      writeFileSync(join(stubs, 'resolvconf'), `#!/bin/sh\n{ echo "resolvconf $*"; cat; } >> ${stubs}/calls\n`, {
        mode: 0o755
      })
      const env = { PATH: `${stubs}:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin` }
      const inputs = {
        'private-key': lab.runnerKey,
        address: '192.0.2.2/24',
        'peer-public-key': lab.serverPub,
        endpoint: `${L.SERVER_IP}:${L.PORT}`,
        interface: lab.iface,
        dns: '192.0.2.1, 2001:db8:1::1, corp.example'
      }
      await mainThenPost(lab, inputs, {
        env,
        between: (main) => {
          expectUp(lab, main, `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`)
          expect(L.sh(['cat', join(stubs, 'calls')])).toBe(
            `resolvconf -a ${lab.iface} -m 0 -x\nnameserver 192.0.2.1\nnameserver 2001:db8:1::1\nsearch corp.example\n`
          )
        }
      })
      expect(L.sh(['cat', join(stubs, 'calls')])).toMatch(new RegExp(`resolvconf -d ${lab.iface} -f\\n$`))
    } finally {
      rmSync(stubs, { recursive: true, force: true })
    }
  })

  it('warns clearly, and still connects, where the system has no way to apply it', async () => {
    const lab = await labFor('one')
    const inputs = {
      'private-key': lab.runnerKey,
      address: '192.0.2.2/24',
      'peer-public-key': lab.serverPub,
      endpoint: `${L.SERVER_IP}:${L.PORT}`,
      interface: lab.iface,
      dns: '192.0.2.1'
    }
    const { main } = await mainThenPost(lab, inputs, {
      between: (m) => expectUp(lab, m, `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`)
    })
    expect(main.stdout).toContain(
      '::warning::DNS servers 192.0.2.1 were not applied: this runner has neither systemd-resolved (resolvectl) nor resolvconf'
    )
  })
})
