// @ts-check
// Say only what is true (issue 15): what cannot work is refused before anything is made; what the
// kernel holds after bring-up is compared with the plan; a check runs only where it goes through
// the tunnel; every refusal by WireGuard or ip is said with its meaning and the input or line; and
// src_valid_mark, shared by overlapping full tunnels, ends as the first of ours found it. Each case
// ends with nothing left behind and no secret shown.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AS_USERS, baseInputs, expectClean, expectNoSecrets, expectUp, L, mainThenPost, secretsOf } from './helpers.mjs'

/** @type {L.Lab} */
let lab
afterEach(() => lab && L.destroyLab(lab))

const service = `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`
/** These cases are about wireguard-go; on a kernel with WireGuard, ask for it. */
const userspace = L.KERNEL_WIREGUARD ? { userspace: 'true' } : {}

/** Stops a process the test started, and waits for its exit (then it is gone from the runner namespace). */
async function stop(/** @type {import('node:child_process').ChildProcess} */ child) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

/** A `config` for the lab's server: [Interface] lines, then one peer with these allowed IPs. */
const config = (/** @type {L.Lab} */ l, /** @type {string} */ iface, /** @type {string} */ allowed) =>
  `[Interface]\nPrivateKey = ${l.runnerKey}\n${iface}[Peer]\nPublicKey = ${l.serverPub}\nEndpoint = ${L.SERVER_IP}:${L.PORT}\nAllowedIPs = ${allowed}\n`

/**
 * Runs main then post as the runner does; main must fail with exactly one line matching `line` and
 * be rolled back (post has nothing to do); then nothing is left (as in `before`, taken now unless
 * given) and no secret (the private key, also inside `config`) appears anywhere.
 * `refusedUpFront`: nothing at all was made (the journal stayed empty).
 * @param {L.Inputs} inputs
 * @param {RegExp | string} line
 * @param {{ user?: string, env?: Record<string, string>, refusedUpFront?: boolean, before?: L.Snapshot, beforeClean?: () => Promise<void> }} [opts]
 */
async function expectOneLine(inputs, line, { user, env, refusedUpFront = false, before, beforeClean } = {}) {
  await lab.ready
  const job = L.createJob(lab, user)
  const pristine = before ?? L.snapshot(lab)
  const {
    result: main,
    commandLines,
    environments
  } = await L.sampleCommandLines(() => L.runStep(lab, job, 'main', inputs, { env }))
  const post = await L.runStep(lab, job, 'post', {}, { env })
  await beforeClean?.()
  expect(main.code).toBe(1)
  const error = L.errorLine(main) ?? ''
  if (typeof line === 'string') expect(error).toBe(line)
  else expect(error).toMatch(line)
  expect(error).not.toContain('\n')
  expect(main.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toHaveLength(1)
  expect(main.summary).not.toContain('is up')
  if (refusedUpFront) expect(main.state).toBe('')
  // Not root: what ran as root went through `sudo -n`.
  if (user && !refusedUpFront) expect(main.stdout).toMatch(/run: sudo -n \S*(wireguard-go|wg|ip) /)
  expect(post.code).toBe(0)
  expect(post.stdout).toContain('Nothing to tear down')
  expectNoSecrets([...secretsOf(inputs), lab.runnerKey], job, [main, post], commandLines, environments)
  expectClean(lab, job, pristine)
  return { main, error }
}

describe('an MTU under 1280 with IPv6 is refused before anything is made', () => {
  it.each(AS_USERS)(
    'the issue, as a config (%s): MTU = 1200, dual stack; wg-quick fails on it too',
    async (_as, user) => {
      lab = L.createLab()
      await lab.ready
      const text = config(lab, 'Address = 192.168.1.2/24, fd77::2/64\nMTU = 1200\n', '192.168.1.0/24, fd77::/64')
      await expectOneLine(
        { config: text, interface: lab.iface, check: 'http://[fd77::1]/', timeout: '5', ...userspace },
        'Input "config": line 4: MTU = 1200 is under 1280, the least IPv6 allows (RFC 8200), and line 3 gives the IPv6 address fd77::2/64: Linux turns IPv6 off on a link whose MTU is under 1280, so that traffic would leave outside the tunnel; the tunnel was not set up. Set MTU = in config to 1280 or more, or remove every IPv6 address and allowed IP',
        { user, refusedUpFront: true }
      )
      // The reference fails on the same file (and rolls back).
      const dir = mkdtempSync(join(tmpdir(), 'wgt-truth-'))
      try {
        const name = `wq${lab.id}`
        writeFileSync(join(dir, `${name}.conf`), text, { mode: 0o600 })
        const before = L.snapshot(lab)
        expect(L.inRunner(lab, ['wg-quick', 'up', join(dir, `${name}.conf`)], 30000).status).not.toBe(0)
        await L.waitFor(() => L.wireguardGoPids(name, lab).length === 0, 'wg-quick to roll back')
        expect(L.snapshot(lab).links).toBe(before.links)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  )

  it.each(AS_USERS)('the issue, as per-field inputs (%s): mtu: 1200 with a dual-stack address', async (_as, user) => {
    lab = L.createLab()
    await expectOneLine(
      { ...baseInputs(lab), address: `${L.RUNNER_ADDR}/24, ${L.RUNNER_ADDR6}/64`, mtu: '1200' },
      /^Input "mtu": MTU 1200 is under 1280, the least IPv6 allows \(RFC 8200\), and input "address" gives the IPv6 address 2001:db8:1::2\/64: .*Set the mtu input to 1280 or more/,
      { user, refusedUpFront: true }
    )
  })

  it('the automatic MTU, from a 1280 route towards the endpoint, with an IPv6 allowed IP: the route is named', async () => {
    lab = L.createLab()
    await lab.ready
    L.sh(['ip', '-n', lab.run, 'link', 'set', 'v-run', 'mtu', '1280'])
    const before = L.snapshot(lab)
    await expectOneLine(
      { ...baseInputs(lab), 'allowed-ips': `192.0.2.0/24, 2001:db8:2::/64` },
      /^The automatic MTU 1200 \(the route towards 198\.51\.100\.1 leaves via v-run with MTU 1280, minus 80 for WireGuard\) is under 1280, .* and input "allowed-ips" gives the IPv6 allowed IP 2001:db8:2::\/64: /,
      { refusedUpFront: true }
    )
    expect(L.snapshot(lab)).toEqual(before)
  })
})

describe('what the kernel holds after bring-up is compared with the plan', () => {
  /** @type {string} */
  let stubs
  beforeAll(() => {
    // An `ip` that, in the batch that brings the link up, sets the MTU to 1200 just before the
    // link is read back (as another program on the runner might): the kernel then drops the
    // link's IPv6 on its own, after every command of the action succeeded.
    stubs = mkdtempSync(join(tmpdir(), 'wgt-truth-ip-'))
    chmodSync(stubs, 0o755)
    const real = L.sh(['sh', '-c', 'command -v ip']).trim()
    writeFileSync(
      join(stubs, 'ip'),
      [
        '#!/bin/sh',
        'case " $* " in *" -batch "*)',
        `  awk '/^link set mtu [0-9]+ up dev / { dev = $NF } dev != "" && $0 == "address show dev " dev { print "link set mtu 1200 dev " dev } { print }' | exec ${real} "$@" ;;`,
        'esac',
        `exec ${real} "$@"`,
        ''
      ].join('\n'),
      { mode: 0o755 }
    )
  })
  afterAll(() => {
    if (stubs) rmSync(stubs, { recursive: true, force: true })
  })

  it.each(AS_USERS)(
    'an MTU changed meanwhile took IPv6 away (%s): failed in one line with the cause, rolled back',
    async (_as, user) => {
      lab = L.createLab()
      const { main } = await expectOneLine(
        {
          ...baseInputs(lab),
          address: `${L.RUNNER_ADDR}/24, ${L.RUNNER_ADDR6}/64`,
          'allowed-ips': `192.0.2.0/24, 2001:db8:1::/64`,
          check: `http://[${L.SERVER_ADDR6}]:${L.HTTP_PORT}/`
        },
        `After bring-up the kernel holds no IPv6 address on ${lab.iface} (2001:db8:1::2/64), so that traffic would leave outside the tunnel: Linux turns IPv6 off on a link whose MTU is under 1280 (MTU 1200; this step set 1420, so something else on this runner changed it meanwhile)`,
        { user, env: { PATH: `${stubs}:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin` } }
      )
      // It was read back, not planned: the diagnostics show the link as the kernel held it.
      expect(main.stdout).toContain('::group::WireGuard diagnostics')
      expect(main.stdout).toMatch(/mtu 1200/)
    }
  )

  it('a healthy full dual-stack tunnel reads back as planned (rules of both families, the policy table)', async () => {
    lab = L.createLab()
    await mainThenPost(
      lab,
      {
        ...baseInputs(lab),
        address: `${L.RUNNER_ADDR}/24, ${L.RUNNER_ADDR6}/64`,
        'allowed-ips': '0.0.0.0/0, ::/0',
        check: `http://${L.BEHIND}:${L.HTTP_PORT}/\nhttp://[${L.BEHIND6}]:${L.HTTP_PORT}/`
      },
      { between: (main) => expectUp(lab, main, `http://${L.BEHIND}:${L.HTTP_PORT}/`) }
    )
  })
})

describe('a check runs only where it goes through the tunnel', () => {
  it.each(AS_USERS)(
    'a target the kernel sends by the uplink (%s): not run, one line naming the interface and the fix',
    async (_as, user) => {
      lab = L.createLab()
      // The server's underlay address answers over the runner's uplink (v-run): the check would pass.
      const target = `http://[${L.SERVER_IP6}]:${L.HTTP_PORT}/`
      await lab.ready
      expect(L.curl(lab, target).body).toContain('you are 2001:db8:ff::2')
      await expectOneLine(
        { ...baseInputs(lab), check: `${service}\n${target}` },
        `HTTP ${target} was not run: it would not go through the tunnel ${lab.iface}, so it would prove nothing about it: the kernel sends 2001:db8:ff::1 via v-run, unencrypted. Cover 2001:db8:ff::1 with allowed-ips (e.g. add 2001:db8:ff::1/128), or check an address behind the tunnel`,
        { user }
      )
    }
  )

  it('a host name is checked by every address it resolves to; the endpoint itself is never to be covered', async () => {
    lab = L.createLab()
    await expectOneLine(
      { ...baseInputs(lab), check: `${L.ENDPOINT_NAME}:${L.HTTP_PORT}` },
      `TCP ${L.ENDPOINT_NAME}:${L.HTTP_PORT} was not run: it would not go through the tunnel ${lab.iface}, so it would prove nothing about it: 198.51.100.1 is a peer's endpoint, which WireGuard's own packets must reach outside the tunnel. Check an address behind the tunnel, such as the server's tunnel address`
    )
  })

  it('Table = off: covered by AllowedIPs, but routed by nothing the checks follow', async () => {
    lab = L.createLab()
    await expectOneLine(
      {
        config: config(lab, `Address = ${L.RUNNER_ADDR}/32\nTable = off\n`, '192.0.2.0/24, 203.0.113.0/24'),
        interface: lab.iface,
        check: `http://${L.BEHIND}:${L.HTTP_PORT}/`,
        timeout: '5',
        ...userspace
      },
      /^HTTP http:\/\/203\.0\.113\.1:8080\/ was not run: it would not go through the tunnel \S+, so it would prove nothing about it: the kernel has no route to 203\.0\.113\.1 \(RTNETLINK answers: Network is unreachable\)\. Cover 203\.0\.113\.1 with AllowedIPs in config/
    )
  })
})

describe('refusals by WireGuard and ip say their meaning and the input or line', () => {
  it.each(AS_USERS)(
    'the issue: ListenPort = N while another process holds UDP port N (%s; UAPI as root, `wg setconf` through sudo)',
    async (_as, user) => {
      lab = L.createLab()
      await lab.ready
      const before = L.snapshot(lab)
      const holder = spawn(
        'ip',
        [
          'netns',
          'exec',
          lab.run,
          L.NODE24,
          '-e',
          "require('node:dgram').createSocket('udp6').bind(51999, () => console.log('bound'))"
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] }
      )
      try {
        await new Promise((resolve) => holder.stdout.once('data', resolve))
        await expectOneLine(
          {
            config: config(lab, `Address = ${L.RUNNER_ADDR}/24\nListenPort = 51999\n`, '192.0.2.0/24'),
            interface: lab.iface,
            timeout: '5',
            ...userspace
          },
          `Input "config": line 4: ListenPort = 51999: UDP port 51999 is already in use on this runner (EADDRINUSE, errno -98: Address already in use), so wireguard-go cannot listen on it for ${lab.iface}. Choose a free port, or leave ListenPort out and a free one is picked`,
          { user, before, beforeClean: () => stop(holder) }
        )
      } finally {
        await stop(holder)
      }
    }
  )

  it.each(AS_USERS)(
    'an allowed IP another interface routes already: RTNETLINK File exists, with that interface (%s)',
    async (_as, user) => {
      lab = L.createLab()
      await lab.ready
      L.sh(['ip', '-n', lab.run, 'link', 'add', 'br-other', 'type', 'bridge'])
      L.sh(['ip', '-n', lab.run, 'address', 'add', '203.0.113.200/24', 'dev', 'br-other'])
      L.sh(['ip', '-n', lab.run, 'link', 'set', 'br-other', 'up'])
      await expectOneLine(
        { ...baseInputs(lab), 'allowed-ips': '192.0.2.0/24, 203.0.113.0/24' },
        `Input "allowed-ips": allowed IP 203.0.113.0/24: the kernel refused its route through ${lab.iface} in the main table (RTNETLINK answers: File exists, EEXIST): the main table already has a route to 203.0.113.0/24 via br-other, another network of this runner. Remove 203.0.113.0/24 from allowed-ips, or delete that route in a step before this one`,
        { user }
      )
    }
  )

  it('IPv6 turned off for new interfaces (as Docker does): the address, the sysctl and the fix', async () => {
    lab = L.createLab()
    await lab.ready
    L.inRunner(lab, ['sysctl', '-qw', 'net.ipv6.conf.default.disable_ipv6=1'])
    await expectOneLine(
      { ...baseInputs(lab), address: `${L.RUNNER_ADDR}/24, ${L.RUNNER_ADDR6}/64` },
      `Input "address": Address 2001:db8:1::2/64: the kernel refused it on ${lab.iface} (Error: ipv6: IPv6 is disabled on this device, EACCES): IPv6 is turned off on ${lab.iface} (net.ipv6.conf.${lab.iface}.disable_ipv6 = 1), as Docker and some images set for new interfaces. Turn it on in a step before this one (sudo sysctl -w net.ipv6.conf.default.disable_ipv6=0), or remove every IPv6 address and allowed IP`
    )
  })
})

describe('src_valid_mark, shared by overlapping full tunnels, ends as the first of ours found it', () => {
  const records = () => (existsSync('/run/wireguard-tunnel') ? readdirSync('/run/wireguard-tunnel') : [])
  const recordOf = (/** @type {L.Lab} */ l) => `src_valid_mark.${/\[([0-9]+)\]/.exec(L.netnsId(l.run) ?? '')?.[1]}.json`

  it.each([
    ['the one that found it at 0 ends first', [0, 1]],
    ['the one that found it at 0 ends last', [1, 0]]
  ])('%s (one job as root, one through sudo)', async (_name, order) => {
    lab = L.createLab({ second: true })
    await lab.ready
    const before = L.snapshot(lab)
    expect(before.srcValidMark.trim()).toBe('0')
    const jobs = [L.createJob(lab), L.createJob(lab, L.SUDO_USER)]
    const first = await L.runStep(lab, /** @type {L.Job} */ (jobs[0]), 'main', {
      ...baseInputs(lab),
      'allowed-ips': '0.0.0.0/0'
    })
    expectUp(lab, first, `http://${L.BEHIND}:${L.HTTP_PORT}/`)
    const second = await L.runStep(lab, /** @type {L.Job} */ (jobs[1]), 'main', {
      ...baseInputs(lab),
      interface: `${lab.iface}b`,
      address: '192.0.2.200/32',
      'peer-public-key': /** @type {string} */ (lab.serverPub2),
      endpoint: `${L.SERVER2_IP}:${L.PORT}`,
      'allowed-ips': '0.0.0.0/0'
    })
    expect([second.code, L.errorLine(second)]).toEqual([0, undefined])
    expect(records()).toContain(recordOf(lab))
    const [a, b] = /** @type {[number, number]} */ (order)
    const early = await L.runStep(lab, /** @type {L.Job} */ (jobs[a]), 'post')
    expect(early.stdout).toContain('src_valid_mark stays 1: another full tunnel of this action still needs it')
    expect(L.snapshot(lab).srcValidMark.trim()).toBe('1')
    const last = await L.runStep(lab, /** @type {L.Job} */ (jobs[b]), 'post')
    expect(last.stdout).not.toMatch(/::(warning|error)::/)
    expect(last.stdout).toContain('net.ipv4.conf.all.src_valid_mark back to 0')
    expect(records()).not.toContain(recordOf(lab))
    expectClean(lab, /** @type {L.Job} */ (jobs[0]), before)
  })

  it('a job killed before its post does not hold it: the last live one puts it back', async () => {
    lab = L.createLab({ second: true })
    await lab.ready
    const before = L.snapshot(lab)
    const killed = L.createJob(lab)
    expect((await L.runStep(lab, killed, 'main', { ...baseInputs(lab), 'allowed-ips': '0.0.0.0/0' })).code).toBe(0)
    // Its runner went away without post: its wireguard-go dies, its interface with it.
    for (const pid of L.wireguardGoPids(lab.iface, lab)) process.kill(pid, 'SIGKILL')
    await L.waitFor(() => L.inRunner(lab, ['ip', 'link', 'show', lab.iface]).status !== 0, 'the interface to vanish')
    const job = L.createJob(lab)
    const main = await L.runStep(lab, job, 'main', {
      ...baseInputs(lab),
      interface: `${lab.iface}b`,
      address: '192.0.2.200/32',
      'peer-public-key': /** @type {string} */ (lab.serverPub2),
      endpoint: `${L.SERVER2_IP}:${L.PORT}`,
      'allowed-ips': '0.0.0.0/0'
    })
    expect(main.code).toBe(0)
    const post = await L.runStep(lab, job, 'post')
    expect(post.stdout).toContain('net.ipv4.conf.all.src_valid_mark back to 0')
    // What the killed job left in the kernel (its rules) is its own post's to remove; run it.
    expect((await L.runStep(lab, killed, 'post')).code).toBe(0)
    expectClean(lab, killed, before)
  })
})
