// @ts-check
// The path hosted runners take: `ip link add … type wireguard`, `wg setconf` from a 0600 file,
// handshakes read with `wg show`, keepalive put back with `wg set`, and teardown by `ip`. This
// kernel has no WireGuard, so an `ip` stand-in answers `link add … type wireguard` by starting
// wireguard-go under that name; every other command goes to the real `ip`.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AS_USERS, baseInputs, expectUp, L, mainThenPost } from './helpers.mjs'

/** @type {L.Lab} */
let lab
/** @type {string} */
let stubs
beforeAll(() => {
  stubs = mkdtempSync(join(tmpdir(), 'wgt-kernel-'))
  chmodSync(stubs, 0o755)
  writeFileSync(
    join(stubs, 'ip'),
    `#!/bin/sh
if [ "$1 $2 $3 $5 $6" = "link add dev type wireguard" ]; then exec wireguard-go "$4"; fi
exec /usr/sbin/ip "$@"
`,
    { mode: 0o755 }
  )
})
afterEach(() => lab && L.destroyLab(lab))
afterAll(() => {
  if (stubs) rmSync(stubs, { recursive: true, force: true })
})

const env = () => ({ PATH: `${stubs}:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin` })

describe.each(AS_USERS)('the kernel path %s', (_as, user) => {
  it('brings up, verifies (keepalive off, PSK) and tears down with ip', async () => {
    lab = L.createLab({ psk: true })
    const inputs = {
      ...baseInputs(lab),
      userspace: 'false',
      'preshared-key': lab.psk,
      'persistent-keepalive': '0',
      'allowed-ips': `${L.SERVER_ADDR}/24, 203.0.113.0/24`
    }
    const { main, post } = await mainThenPost(lab, inputs, {
      user,
      env: env(),
      between: async (m) => {
        expectUp(lab, m, `http://${L.BEHIND}:${L.HTTP_PORT}/`)
        expect(m.summary).toContain(`${lab.iface} (kernel, MTU 1420)`)
        expect(m.stdout).toMatch(/run: (sudo -n )?\S*\/ip link add dev \S+ type wireguard/)
        expect(m.stdout).toMatch(/run: (sudo -n )?\/usr\/bin\/wg setconf \S+ \S+\/wireguard-tunnel-\S+\/\S+\.conf/)
        expect(m.stdout).toMatch(/run: (sudo -n )?\/usr\/bin\/wg set \S+ peer \S+ persistent-keepalive off/)
        expect(L.inRunner(lab, ['wg', 'showconf', lab.iface]).stdout).not.toMatch(/PersistentKeepalive/)
      },
      // With the kernel, deleting the link is the whole teardown; the stand-in's wireguard-go
      // follows its interface out.
      afterPost: () => L.waitFor(() => L.wireguardGoPids(lab.iface).length === 0, 'wireguard-go to follow its link')
    })
    expect(post.stdout).toMatch(/run: (sudo -n )?\S*\/ip link delete dev /)
    expect(main.stdout).not.toContain('SIGTERM')
  })
})
