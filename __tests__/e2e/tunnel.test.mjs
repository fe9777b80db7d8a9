// @ts-check
// The action brings a tunnel up against a real WireGuard peer in the lab, traffic flows, and post
// leaves the runner as it was. Each scenario runs dist/ under Node 24 as the runner does.
import { afterEach, describe, expect, it } from '@jest/globals'
import { AS_USERS, baseInputs, expectUp, L, mainThenPost } from './helpers.mjs'

/** @type {L.Lab} */
let lab
afterEach(() => lab && L.destroyLab(lab))

const service = `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`
const service6 = `http://[${L.SERVER_ADDR6}]:${L.HTTP_PORT}/`

// Hosted runners run steps as an unprivileged user with passwordless sudo: every scenario runs both ways.
describe.each(AS_USERS)('bring-up, traffic, teardown %s', (_as, user) => {
  it('IPv4 with ping, TCP, HTTP and HTTPS checks', async () => {
    lab = L.createLab()
    const https = `https://${L.SERVER_ADDR}:${L.HTTPS_PORT}/status?x=1`
    const inputs = {
      ...baseInputs(lab),
      check: `${L.SERVER_ADDR}\n${L.SERVER_ADDR}:${L.HTTP_PORT}\n${service}\n${https}`
    }
    const { main } = await mainThenPost(lab, inputs, { user, between: (m) => expectUp(lab, m, service) })
    // A self-signed certificate still proves the path.
    expect(main.stdout).toContain(`HTTPS ${https}: answered`)
    expect(main.stdout).toContain(`ping ${L.SERVER_ADDR}: answered`)
    expect(main.stdout).toContain(`TCP ${L.SERVER_ADDR}:${L.HTTP_PORT}: answered`)
    expect(main.stdout).toContain(`HTTP ${service}: answered`)
    expect(main.summary).toContain(lab.runnerPub)
  })

  it('IPv6 over an IPv6 endpoint', async () => {
    lab = L.createLab()
    const inputs = {
      ...baseInputs(lab),
      address: `${L.RUNNER_ADDR6}/64`,
      endpoint: `[${L.SERVER_IP6}]:${L.PORT}`,
      check: service6
    }
    await mainThenPost(lab, inputs, {
      user,
      between: (m) => {
        expectUp(lab, m, service6)
        expect(L.curl(lab, service).ok).toBe(false)
      }
    })
  })

  it('dual stack, routing the networks behind the server', async () => {
    lab = L.createLab()
    const inputs = {
      ...baseInputs(lab),
      address: `${L.RUNNER_ADDR}/24, ${L.RUNNER_ADDR6}/64`,
      'allowed-ips': `${L.SERVER_ADDR}/24\n203.0.113.0/24\n2001:db8:1::/64\n2001:db8:2::/64`
    }
    await mainThenPost(lab, inputs, {
      user,
      between: (m) => {
        expectUp(lab, m, `http://${L.BEHIND}:${L.HTTP_PORT}/`)
        expect(L.curl(lab, `http://[${L.BEHIND6}]:${L.HTTP_PORT}/`).ok).toBe(true)
        expect(L.curl(lab, service6).ok).toBe(true)
        const routes = L.inRunner(lab, ['ip', 'route', 'show', 'dev', lab.iface]).stdout
        // The address's own network covers 192.0.2.0/24: no second route, as wg-quick does.
        expect(routes).toContain('203.0.113.0/24')
        expect(routes.match(/192\.0\.2\.0\/24/g)).toHaveLength(1)
      }
    })
  })

  it('a host-name endpoint, resolved on the runner', async () => {
    lab = L.createLab()
    const inputs = { ...baseInputs(lab), endpoint: `${L.ENDPOINT_NAME}:${L.PORT}` }
    const { main } = await mainThenPost(lab, inputs, { user, between: (m) => expectUp(lab, m, service) })
    expect(main.stdout).toContain(`${L.ENDPOINT_NAME}:${L.PORT} (${L.SERVER_IP})`)
  })

  it('a preshared key', async () => {
    lab = L.createLab({ psk: true })
    const inputs = { ...baseInputs(lab), 'preshared-key': lab.psk }
    await mainThenPost(lab, inputs, {
      user,
      between: (m) => {
        expectUp(lab, m, service)
        const shown = L.inRunner(lab, ['wg', 'show', lab.iface, 'preshared-keys']).stdout
        expect(shown).toContain(lab.psk)
      }
    })
  })

  it('the default interface name, keepalive off, explicit MTU', async () => {
    lab = L.createLab({ iface: 'wg0' })
    /** @type {L.Inputs} */
    const inputs = { ...baseInputs(lab), 'persistent-keepalive': '0', mtu: '1380' }
    delete inputs.interface
    await mainThenPost(lab, inputs, {
      user,
      between: (m) => {
        expectUp(lab, m, service)
        const conf = L.inRunner(lab, ['wg', 'showconf', 'wg0']).stdout
        expect(conf).not.toMatch(/PersistentKeepalive/i)
        expect(L.inRunner(lab, ['cat', '/sys/class/net/wg0/mtu']).stdout.trim()).toBe('1380')
      }
    })
  })

  it('a full tunnel from the per-field inputs', async () => {
    lab = L.createLab()
    const inputs = { ...baseInputs(lab), 'allowed-ips': '0.0.0.0/0', check: `http://${L.BEHIND}:${L.HTTP_PORT}/` }
    await mainThenPost(lab, inputs, {
      user,
      between: (m) => {
        expectUp(lab, m, `http://${L.BEHIND}:${L.HTTP_PORT}/`)
        expect(L.inRunner(lab, ['ip', 'rule', 'show']).stdout).toContain('not from all fwmark 0xca6c lookup 51820')
      }
    })
  })

  it('a custom interface name with the automatic MTU (route MTU minus 80)', async () => {
    lab = L.createLab({ iface: 'corp.vpn-1' })
    L.sh(['ip', '-n', lab.run, 'link', 'set', 'v-run', 'mtu', '1400'])
    const inputs = { ...baseInputs(lab), interface: 'corp.vpn-1' }
    await mainThenPost(lab, inputs, {
      user,
      between: (m) => {
        expectUp(lab, m, service)
        expect(L.inRunner(lab, ['cat', '/sys/class/net/corp.vpn-1/mtu']).stdout.trim()).toBe('1320')
        const conf = L.inRunner(lab, ['wg', 'showconf', 'corp.vpn-1']).stdout
        expect(conf).toMatch(/PersistentKeepalive = 25/)
      }
    })
  })
})

describe('a user without sudo', () => {
  it('gets a clear error at once instead of a hang, and nothing is left', async () => {
    lab = L.createLab()
    const { main, post } = await mainThenPost(lab, baseInputs(lab), { user: L.PLAIN_USER })
    expect(main.code).toBe(1)
    expect(L.errorLine(main)).toMatch(
      /needs root and this step runs as uid [0-9]+: `sudo -n` refused \(sudo: .*\)\. Run the job as root or give the runner user passwordless sudo\.$/
    )
    expect(post.code).toBe(0)
  })
})
