// @ts-check
// Faults: each fails clearly and in time, and post leaves nothing behind; post is harmless with
// partial, stale or repeated state; a reused runner recovers or is told exactly what to remove.
import { afterEach, describe, expect, it } from '@jest/globals'
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AS_USERS, baseInputs, expectClean, expectNoSecrets, expectUp, L, mainThenPost, secretsOf } from './helpers.mjs'

/** @type {L.Lab} */
let lab
afterEach(() => lab && L.destroyLab(lab))

const service = `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`
/** Bound on how long past `timeout` a failure may take: catches a hang, not a speed (see npm run bench). */
const HANG_MARGIN_MS = 2000

/**
 * Runs main expecting failure within the timeout's bound; post must then leave the runner clean.
 * @param {L.Inputs} inputs
 * @param {RegExp} pattern
 * @param {string} [user]
 * @param {Record<string, string>} [env]
 */
async function expectFailure(inputs, pattern, user, env) {
  const { main, post } = await mainThenPost(lab, inputs, { user, env })
  expect(main.code).toBe(1)
  const error = L.errorLine(main)
  expect(error).toMatch(pattern)
  expect(error).not.toContain('\n')
  expect(main.ms).toBeLessThan(Number(inputs.timeout ?? 30) * 1000 + HANG_MARGIN_MS)
  // main rolled back and cleared its record: post has nothing to do.
  expect(post.stdout).toContain('Nothing to tear down')
  return { main, error }
}

describe('faults during bring-up', () => {
  it.each(AS_USERS)(
    'a wrong peer public key (%s): no handshake, causes named, diagnostics shown',
    async (_as, user) => {
      lab = L.createLab()
      const inputs = { ...baseInputs(lab), 'peer-public-key': L.pubKey(L.genKey()), timeout: '2' }
      const { main, error } = await expectFailure(
        inputs,
        /^No handshake with peer .* at 198\.51\.100\.1:51820 within 2 s\. Likely causes: the server does not know this runner's public key/,
        user
      )
      expect(error).toContain(lab.runnerPub)
      expect(main.stdout).toContain('::group::WireGuard diagnostics')
      expect(main.stdout).toMatch(/private key: \(hidden\)/)
      expect(main.summary).toContain('WireGuard tunnel failed')
      expect(main.summary).toContain('Diagnostics')
    }
  )

  it('the server does not know the runner', async () => {
    lab = L.createLab({ serverKnowsRunner: false })
    await expectFailure({ ...baseInputs(lab), timeout: '2' }, /^No handshake with peer/)
  })

  it('a preshared key the server does not share', async () => {
    lab = L.createLab({ psk: true })
    await expectFailure({ ...baseInputs(lab), 'preshared-key': L.genKey(), timeout: '2' }, /^No handshake with peer/)
  })

  it('the endpoint port is closed', async () => {
    lab = L.createLab()
    await expectFailure(
      { ...baseInputs(lab), endpoint: `${L.SERVER_IP}:${L.PORT + 1}`, timeout: '2' },
      /UDP to 198\.51\.100\.1:51821 is blocked or nothing listens there/
    )
  })

  it('an endpoint host name that does not resolve, before anything is touched', async () => {
    lab = L.createLab()
    const { main, post } = await mainThenPost(lab, {
      ...baseInputs(lab),
      endpoint: `nowhere.${L.ENDPOINT_NAME}:${L.PORT}`,
      timeout: '2'
    })
    expect(main.code).toBe(1)
    expect(L.errorLine(main)).toMatch(/^Input "endpoint": host name "nowhere\.vpn\.lab\.test" does not resolve/)
    expect(main.state).toBe('')
    expect(post.stdout).toContain('Nothing to tear down')
  })

  it('a check target that does not answer', async () => {
    lab = L.createLab()
    const inputs = { ...baseInputs(lab), check: `${L.SERVER_ADDR}:${L.HTTP_PORT}\n${L.SERVER_ADDR}:9`, timeout: '2' }
    await expectFailure(
      inputs,
      /^The tunnel is up but TCP 192\.0\.2\.1:9 did not answer within 2 s \(last error: ECONNREFUSED\)\. Likely causes:/
    )
  })

  it('an interface name already taken: refused, the interface survives untouched', async () => {
    lab = L.createLab()
    L.sh(['ip', '-n', lab.run, 'link', 'add', lab.iface, 'type', 'bridge'])
    L.sh(['ip', '-n', lab.run, 'address', 'add', '192.0.2.200/24', 'dev', lab.iface])
    const before = L.inRunner(lab, ['ip', 'address', 'show', 'dev', lab.iface]).stdout
    const { main, post } = await mainThenPost(lab, baseInputs(lab))
    expect(main.code).toBe(1)
    expect(L.errorLine(main)).toBe(
      `interface ${lab.iface} already exists; it was left untouched. If an earlier job left it behind, remove it with \`sudo ip link delete ${lab.iface}\`, or choose another name with the interface input`
    )
    expect(post.stdout).toContain('Nothing to tear down')
    expect(L.inRunner(lab, ['ip', 'address', 'show', 'dev', lab.iface]).stdout).toBe(before)
  })

  it('a container without CAP_NET_ADMIN: one line naming what to use or add, nothing touched', async () => {
    lab = L.createLab()
    await lab.ready
    const job = L.createJob(lab)
    const before = L.snapshot(lab)
    const main = await L.runStep(lab, job, 'main', baseInputs(lab), { noNetAdmin: true })
    expect(main.code).toBe(1)
    expect(L.errorLine(main)).toBe(
      'This step runs as root but without CAP_NET_ADMIN, so it may not create network interfaces: an unprivileged container runner (such as ubuntu-slim) cannot host a tunnel, use runs-on: ubuntu-latest; in a job container you define, add options: --cap-add=NET_ADMIN --device=/dev/net/tun'
    )
    expect(main.state).toBe('')
    expect((await L.runStep(lab, job, 'post')).code).toBe(0)
    expectClean(lab, job, before)
  })

  it.each(AS_USERS)(
    'a command past the deadline is stopped with what it started (%s): no root process outlives it',
    async (_as, user) => {
      lab = L.createLab()
      // A wireguard-go that never returns: as root (directly or through sudo -n) it notes its pid and
      // uid, then becomes a `sleep` that would outlive the step if only sudo were killed.
      const dir = mkdtempSync(join(tmpdir(), 'wgt-stall-'))
      lab.dirs.push(dir)
      chmodSync(dir, 0o777)
      const script = join(dir, 'wireguard-go')
      writeFileSync(script, `#!/bin/sh\necho "$$ $(id -u)" > ${dir}/started\nexec sleep 120\n`, { mode: 0o755 })
      chmodSync(script, 0o755)
      const { error } = await expectFailure(
        { ...baseInputs(lab), userspace: 'true', timeout: '2' },
        /^`(sudo -n )?\S*\/wireguard-go \S+` did not finish within the step's timeout/,
        user,
        { PATH: `${dir}:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin` }
      )
      expect(error).toContain(script)
      const [pid, uid] = readFileSync(join(dir, 'started'), 'utf8').trim().split(' ')
      expect(uid).toBe('0')
      // Gone by the time main ended: sudo passed SIGTERM on and waited for it (a SIGKILL of sudo
      // would have left it running, owned by init).
      expect(existsSync(`/proc/${pid}`)).toBe(false)
    }
  )

  it('tools missing with install: false: the error names the tool', async () => {
    lab = L.createLab()
    const { main } = await mainThenPost(
      lab,
      { ...baseInputs(lab), install: 'false' },
      { env: { PATH: '/nonexistent' } }
    )
    expect(main.code).toBe(1)
    // Everything missing is named at once (wireguard-go too: this kernel has no WireGuard).
    expect(L.errorLine(main)).toMatch(
      /^`wg` and `wireguard-go` not found \(looked in \/nonexistent:.*\); install wireguard-tools and wireguard-go first or set install: true$/
    )
  })

  // Only where the kernel lacks WireGuard (the lab); elsewhere userspace: false simply works.
  ;(L.KERNEL_WIREGUARD ? it.skip : it)('userspace: false on a kernel without WireGuard: says so', async () => {
    lab = L.createLab()
    const { main } = await mainThenPost(lab, { ...baseInputs(lab), userspace: 'false' })
    expect(main.code).toBe(1)
    expect(L.errorLine(main)).toMatch(/this kernel has no WireGuard module and userspace is false/)
  })
})

const until = L.waitFor

const linkIn = (/** @type {L.Lab} */ lab) => L.inRunner(lab, ['ip', 'link', 'show', 'dev', lab.iface]).status === 0

describe('killed, crashed and reused', () => {
  it.each(AS_USERS)(
    'main killed part-way (job cancelled, %s): post removes what exists and does not fail',
    async (_as, user) => {
      lab = L.createLab()
      await lab.ready
      const job = L.createJob(lab, user)
      const before = L.snapshot(lab)
      // A wrong peer key keeps main waiting for a handshake with the interface up.
      const inputs = { ...baseInputs(lab), 'peer-public-key': L.pubKey(L.genKey()), timeout: '20' }
      const main = await L.runStep(lab, job, 'main', inputs, {
        onSpawn: (child) =>
          until(() => linkIn(lab) && L.snapshot(lab).routes4.includes(lab.iface), 'the interface').then(() =>
            child.kill('SIGTERM')
          )
      })
      expect(main.signal).toBe('SIGTERM')
      expect(linkIn(lab)).toBe(true)
      const post = await L.runStep(lab, job, 'post')
      expect(post.code).toBe(0)
      expect(post.stdout).toContain(`Removed ${lab.iface}`)
      expectNoSecrets(secretsOf(inputs), job, [main, post])
      expectClean(lab, job, before)
    }
  )

  it('wireguard-go killed under a live tunnel: post still cleans up, with no error', async () => {
    lab = L.createLab()
    const { post } = await mainThenPost(lab, baseInputs(lab), {
      between: async (main) => {
        expectUp(lab, main, service)
        for (const pid of L.wireguardGoPids(lab.iface)) process.kill(pid, 'SIGKILL')
        await until(() => !linkIn(lab), 'the interface to vanish')
        expect(existsSync(`/var/run/wireguard/${lab.iface}.sock`)).toBe(true)
      }
    })
    expect(post.stdout).not.toMatch(/::warning::/)
    expect(post.stdout).toContain(`/var/run/wireguard/${lab.iface}.sock`)
  })

  it('the kernel teardown path (routes, rules and link deleted with ip) leaves nothing either', async () => {
    lab = L.createLab()
    await lab.ready
    const job = L.createJob(lab)
    const before = L.snapshot(lab)
    const inputs = { ...baseInputs(lab), 'allowed-ips': '0.0.0.0/0', check: `http://${L.BEHIND}:${L.HTTP_PORT}/` }
    const main = await L.runStep(lab, job, 'main', inputs)
    expect(main.code).toBe(0)
    // Post as it runs after a kernel bring-up: no wireguard-go to stop, so `ip` deletes the rules
    // (by the priorities recorded) and the link (here wireguard-go then exits by itself).
    /** @type {{ kind: string }[]} */
    const journal = JSON.parse(/** @type {string} */ (L.parseFileCommands(L.sh(['cat', job.state])).journal))
    expect(journal.filter((r) => r.kind === 'rule')).toHaveLength(2)
    const kernel = journal.filter((r) => r.kind !== 'wireguard-go')
    const post = await L.runStep(lab, job, 'post', {}, { env: { STATE_journal: JSON.stringify(kernel) } })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toMatch(/::(warning|error)::/)
    expect(post.stdout).toContain(
      `Removed ${lab.iface}; rule 32764: table main suppress_prefixlength 0; rule 32765: not fwmark 51820 table 51820; net.ipv4.conf.all.src_valid_mark back to 0`
    )
    await until(
      () => L.wireguardGoPids(lab.iface).length === 0 && L.snapshot(lab).sockets.length === 0,
      'wireguard-go to exit'
    )
    expectClean(lab, job, before)
  })

  it('post run twice, and post with partial or unreadable state: harmless', async () => {
    lab = L.createLab()
    const { job } = await mainThenPost(lab, baseInputs(lab), { between: (m) => expectUp(lab, m, service) })
    const before = L.snapshot(lab)
    const again = await L.runStep(lab, job, 'post')
    expect(again.code).toBe(0)
    expect(again.stdout).not.toMatch(/::(warning|error)::/)
    const crafted = [
      `[{"kind":"interface","name":"${lab.iface}"}]`,
      `[{"kind":"wireguard-go","name":"${lab.iface}","since":0}]`,
      '[{"kind":"interface","name":"../../etc","ifindex":1}]',
      '[{"kind":"rule","family":4,"priority":0,"selector":"from all lookup main"}]',
      'not json',
      ''
    ]
    for (const state of crafted) {
      const r = await L.runStep(lab, job, 'post', {}, { env: { STATE_journal: state } })
      expect(r.code).toBe(0)
      expect(r.stdout).not.toMatch(/::error::/)
    }
    expect(L.snapshot(lab)).toEqual(before)
  })

  it('a reused runner: a stale socket is recovered from; a leftover interface is named with its fix', async () => {
    lab = L.createLab()
    await lab.ready
    const pristine = L.snapshot(lab)
    // A crashed job's wireguard-go: the socket stays, the interface went with the process.
    L.inRunner(lab, ['wireguard-go', lab.iface])
    for (const pid of L.wireguardGoPids(lab.iface)) process.kill(pid, 'SIGKILL')
    await until(() => !linkIn(lab), 'the crashed interface to vanish')
    expect(existsSync(`/var/run/wireguard/${lab.iface}.sock`)).toBe(true)
    await mainThenPost(lab, baseInputs(lab), { before: pristine, between: (m) => expectUp(lab, m, service) })

    // A job killed without its post step leaves its interface behind.
    const job = L.createJob(lab)
    const first = await L.runStep(lab, job, 'main', baseInputs(lab))
    expect(first.code).toBe(0)
    const next = await L.runStep(lab, L.createJob(lab), 'main', baseInputs(lab))
    expect(next.code).toBe(1)
    const fix = /remove it with `sudo (ip link delete \S+)`/.exec(L.errorLine(next) ?? '')
    expect(fix).not.toBeNull()
    // Doing exactly what the message says makes the next run work.
    L.inRunner(lab, (fix?.[1] ?? '').split(' '))
    await until(() => L.wireguardGoPids(lab.iface).length === 0, 'the old wireguard-go to exit')
    await mainThenPost(lab, baseInputs(lab), { between: (m) => expectUp(lab, m, service) })
  })
})
