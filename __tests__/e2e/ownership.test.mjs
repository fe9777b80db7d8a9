// @ts-check
// Many jobs on one machine: the action touches only what it made, found by identity (ifindex in its
// namespace, pid and start time, rule priority), never by name; its children inherit nothing of
// the step's environment; and the whole step keeps to its timeout even when sudo stalls.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AS_USERS, baseInputs, expectClean, expectUp, L, mainThenPost } from './helpers.mjs'

/** @type {L.Lab} */
let lab
/** @type {string} */
let stubs
beforeAll(() => {
  stubs = mkdtempSync(join(tmpdir(), 'wgt-own-'))
  chmodSync(stubs, 0o755)
  // A sudo that stalls, as one does when the host name does not resolve.
  writeFileSync(join(stubs, 'sudo'), '#!/bin/sh\nexec sleep 60\n', { mode: 0o755 })
})
afterEach(() => lab && L.destroyLab(lab))
afterAll(() => {
  if (stubs) rmSync(stubs, { recursive: true, force: true })
})

const service = `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`
const HANG_MARGIN_MS = 2000
const linkIn = (/** @type {string} */ name) => L.inRunner(lab, ['ip', 'link', 'show', 'dev', name]).status === 0
const rules = () => L.snapshot(lab).rules4 + L.snapshot(lab).rules6
const alive = (/** @type {number | undefined} */ pid) =>
  existsSync(`/proc/${pid}`) && !/ [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))

/** A full tunnel to the second server (it knows the runner; its address is no matter for a handshake). */
const secondFullTunnel = (extra = {}) => ({
  ...baseInputs(lab),
  interface: `${lab.iface}b`,
  address: '192.0.2.200/32',
  'peer-public-key': lab.serverPub2,
  endpoint: `${L.SERVER2_IP}:${L.PORT}`,
  'allowed-ips': '0.0.0.0/0',
  ...extra
})

describe('another tunnel on the same runner is never touched', () => {
  it('a FwMark naming a table in use is refused before anything changes; the first tunnel keeps its rules', async () => {
    lab = L.createLab({ second: true })
    await lab.ready
    const first = L.createJob(lab)
    const main1 = await L.runStep(lab, first, 'main', { ...baseInputs(lab), 'allowed-ips': '0.0.0.0/0' })
    expectUp(lab, main1, `http://${L.BEHIND}:${L.HTTP_PORT}/`)
    const held = rules()
    expect(held).toMatch(/not from all fwmark 0xca6c lookup 51820/)

    const second = L.createJob(lab)
    const config = `[Interface]\nPrivateKey = ${lab.runnerKey}\nAddress = 192.0.2.200/32\nFwMark = 0xca6c\n[Peer]\nPublicKey = ${lab.serverPub2}\nEndpoint = ${L.SERVER2_IP}:${L.PORT}\nAllowedIPs = 0.0.0.0/0\n`
    const main2 = await L.runStep(lab, second, 'main', {
      config,
      interface: `${lab.iface}b`,
      timeout: '5',
      ...(L.KERNEL_WIREGUARD ? { userspace: 'true' } : {})
    })
    expect(main2.code).toBe(1)
    expect(L.errorLine(main2)).toBe(
      "FwMark 51820 names routing table 51820, which already holds routes or rules (another tunnel's?); nothing was changed. Choose another FwMark, or leave it out and a free table is picked"
    )
    expect(main2.state).toBe('')
    expect((await L.runStep(lab, second, 'post')).code).toBe(0)
    // The first tunnel's rules are all there, and its traffic still goes through its tunnel.
    expect(rules()).toBe(held)
    expectUp(lab, main1, `http://${L.BEHIND}:${L.HTTP_PORT}/`)
    expect((await L.runStep(lab, first, 'post')).code).toBe(0)
  })

  it('two full tunnels started at once take two tables; each post removes only its own rules', async () => {
    lab = L.createLab({ second: true })
    await lab.ready
    const before = L.snapshot(lab)
    const [j1, j2] = [L.createJob(lab), L.createJob(lab)]
    const [m1, m2] = await Promise.all([
      L.runStep(lab, j1, 'main', { ...baseInputs(lab), 'allowed-ips': '0.0.0.0/0' }),
      L.runStep(lab, j2, 'main', secondFullTunnel())
    ])
    expect([m1.code, m2.code, L.errorLine(m1), L.errorLine(m2)]).toEqual([0, 0, undefined, undefined])
    const tables = [...rules().matchAll(/not from all fwmark \S+ lookup ([0-9]+)/g)].map((m) => m[1])
    expect(new Set(tables)).toEqual(new Set(['51820', '51821']))
    const p2 = await L.runStep(lab, j2, 'post')
    expect(p2.stdout).not.toMatch(/::warning::/)
    // The first tunnel's two rules stay, and src_valid_mark stays 1 while it needs it.
    expect(rules().match(/fwmark/g)).toHaveLength(1)
    expect(L.snapshot(lab).srcValidMark.trim()).toBe('1')
    expectUp(lab, m1, `http://${L.BEHIND}:${L.HTTP_PORT}/`)
    const p1 = await L.runStep(lab, j1, 'post')
    // The last of the two puts back what the first found (the namespace's shared record).
    expect(p1.stdout).toContain('net.ipv4.conf.all.src_valid_mark back to 0')
    expectClean(lab, j1, before)
  })
})

describe('teardown by identity, not by name', () => {
  it.each(AS_USERS)(
    'post after its interface vanished leaves another job’s interface of that name alone (%s)',
    async (_as, user) => {
      lab = L.createLab()
      await lab.ready
      const job = L.createJob(lab, user)
      const main = await L.runStep(lab, job, 'main', baseInputs(lab))
      expectUp(lab, main, service)
      for (const pid of L.wireguardGoPids(lab.iface, lab)) process.kill(pid, 'SIGKILL')
      await L.waitFor(() => !linkIn(lab.iface), 'the interface to vanish')
      // Another job now has an interface and a wireguard-go by the same name.
      L.inRunner(lab, ['wireguard-go', lab.iface])
      const [other] = L.wireguardGoPids(lab.iface, lab)
      expect(other).toBeDefined()
      const post = await L.runStep(lab, job, 'post')
      expect(post.code).toBe(0)
      expect(post.stdout).toMatch(/::warning::.*no longer the interface main made/)
      expect(alive(other)).toBe(true)
      expect(linkIn(lab.iface)).toBe(true)
      expect(existsSync(`/var/run/wireguard/${lab.iface}.sock`)).toBe(true)
    }
  )

  it('two jobs starting one name at once: the loser rolls back and the winner keeps its tunnel', async () => {
    lab = L.createLab()
    await lab.ready
    const before = L.snapshot(lab)
    const [j1, j2] = [L.createJob(lab), L.createJob(lab)]
    const both = await Promise.all([
      L.runStep(lab, j1, 'main', baseInputs(lab)),
      L.runStep(lab, j2, 'main', baseInputs(lab))
    ])
    const winner = both.findIndex((m) => m.code === 0)
    expect(both.map((m) => m.code).sort()).toEqual([0, 1])
    const loser = /** @type {L.StepResult} */ (both[1 - winner])
    expect(L.errorLine(loser)).toMatch(/already exists|made meanwhile|another wireguard-go serves the name/)
    const pids = L.wireguardGoPids(lab.iface, lab)
    expect(pids).toHaveLength(1)
    await L.runStep(lab, /** @type {L.Job} */ ([j1, j2][1 - winner]), 'post')
    expect(alive(pids[0])).toBe(true)
    expectUp(lab, /** @type {L.StepResult} */ (both[winner]), service)
    await L.runStep(lab, /** @type {L.Job} */ ([j1, j2][winner]), 'post')
    expectClean(lab, j1, before)
  })

  it('a name served by wireguard-go in another namespace: refused in one line, the other process untouched', async () => {
    lab = L.createLab()
    await lab.ready
    // A foreign daemon of this name in the server's namespace (the socket folder is shared).
    L.sh(['ip', 'netns', 'exec', lab.srv, 'wireguard-go', lab.iface])
    const [foreign] = L.wireguardGoPids(lab.iface)
    expect(foreign).toBeDefined()
    const job = L.createJob(lab)
    const main = await L.runStep(lab, job, 'main', baseInputs(lab))
    const post = await L.runStep(lab, job, 'post')
    expect(main.code).toBe(1)
    expect(main.state).toBe('')
    expect(L.errorLine(main)).toBe(
      `/var/run/wireguard/${lab.iface}.sock exists: another wireguard-go serves the name ${lab.iface} (perhaps in another network namespace or job, which share that folder); it was left untouched. Choose another name with the interface input, or if an earlier job left it behind, remove it with \`sudo rm /var/run/wireguard/${lab.iface}.sock\``
    )
    expect(post.code).toBe(0)
    expect(alive(foreign)).toBe(true)
    expect(existsSync(`/var/run/wireguard/${lab.iface}.sock`)).toBe(true)
  })
})

describe("the step's environment stays the step's", () => {
  it('wireguard-go runs with a minimal environment: no input, no runner token, no LOG_LEVEL', async () => {
    lab = L.createLab()
    await mainThenPost(lab, baseInputs(lab), {
      env: { LOG_LEVEL: 'verbose' },
      between: (main) => {
        expectUp(lab, main, service)
        const [pid] = L.wireguardGoPids(lab.iface, lab)
        const names = readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .filter(Boolean)
          .map((kv) => kv.slice(0, kv.indexOf('=')))
        expect(names.filter((n) => /^(INPUT_|ACTIONS_|GITHUB_|RUNNER_|LOG_LEVEL$|HOME$)/.test(n))).toEqual([])
      }
    })
  })

  it.each(
    AS_USERS.flatMap(([as, user]) => ['verbose', 'error', 'debug'].map((level) => [`${level}, ${as}`, level, user]))
  )('LOG_LEVEL=%s in the job: the tunnel comes up, nothing hangs', async (_label, level, user) => {
    lab = L.createLab()
    const inputs = baseInputs(lab)
    const { main } = await mainThenPost(lab, inputs, {
      user,
      env: { LOG_LEVEL: level },
      between: (m) => expectUp(lab, m, service)
    })
    expect(main.ms).toBeLessThan(Number(inputs.timeout) * 1000 + HANG_MARGIN_MS)
  })
})

describe('timeout bounds the step', () => {
  it('a stalling sudo: one line naming it, within timeout, nothing left', async () => {
    lab = L.createLab()
    const inputs = { ...baseInputs(lab), timeout: '3' }
    const { main, post } = await mainThenPost(lab, inputs, {
      user: L.SUDO_USER,
      env: { PATH: `${stubs}:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin` }
    })
    expect(main.code).toBe(1)
    expect(L.errorLine(main)).toMatch(
      /^`sudo -n \S*wireguard-go \S+` did not finish within the step's timeout\. `sudo` itself may be stalling: check that this host name resolves \(\/etc\/hosts\) and that sudo needs no password\.$/
    )
    expect(main.ms).toBeLessThan(3000 + HANG_MARGIN_MS)
    expect(post.code).toBe(0)
  })
})

describe('what a step says', () => {
  it('no peer with an Endpoint: up, and says no handshake was awaited', async () => {
    lab = L.createLab()
    const config = `[Interface]\nPrivateKey = ${lab.runnerKey}\nAddress = ${L.RUNNER_ADDR}/24\n[Peer]\nPublicKey = ${lab.serverPub}\nAllowedIPs = ${L.SERVER_ADDR}/32\n`
    const { main } = await mainThenPost(lab, {
      config,
      interface: lab.iface,
      ...(L.KERNEL_WIREGUARD ? { userspace: 'true' } : {})
    })
    expect(main.code).toBe(0)
    expect(main.stdout).toContain(`WireGuard tunnel ${lab.iface} is up (no handshake awaited: no peer has an Endpoint)`)
    expect(main.summary).toContain('| Handshake | not awaited (no peer has an Endpoint) |')
  })

  it('the error line survives a slow reader after a lot of output', async () => {
    lab = L.createLab()
    await lab.ready
    const job = L.createJob(lab)
    // Thousands of masked lines (every line of a secret input is masked), then a configuration error.
    const filler = Array.from({ length: 4000 }, () => `# ${randomBytes(18).toString('base64')}`).join('\n')
    const main = await L.runStep(
      lab,
      job,
      'main',
      { config: `${filler}\n[Interface]\nPostUp = true\n` },
      { slowReader: 1000 }
    )
    expect(main.code).toBe(1)
    expect(main.stdout.split('\n').filter((l) => l.startsWith('::add-mask::')).length).toBeGreaterThan(3000)
    expect(L.errorLine(main)).toMatch(/^Input "config": line 4002: PostUp is not supported/)
  })
})
