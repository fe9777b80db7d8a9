// @ts-check
// Shared steps of the end-to-end scenarios: run main and post as the runner does, and check that
// traffic flowed, no secret leaked and nothing was left behind.
import { expect } from '@jest/globals'
import * as L from '../../lab/lab.mjs'

export { L }

/** @import { Inputs, Job, Lab, Snapshot, StepResult } from '../../lab/lab.mjs' */

/** Who a scenario runs as: root, and an unprivileged user with passwordless sudo as on hosted runners. */
export const AS_USERS = [
  ['as root', undefined],
  ['as a user with passwordless sudo', L.SUDO_USER]
]

/** The inputs every scenario starts from: IPv4 over an IPv4 endpoint. */
export function baseInputs(/** @type {Lab} */ lab) {
  // The lab's scenarios are about wireguard-go; on a kernel with WireGuard, ask for it.
  return L.actionInputs(lab, { timeout: '10', ...(L.KERNEL_WIREGUARD ? { userspace: 'true' } : {}) })
}

/** The secret inputs of a step. */
export const secretsOf = (/** @type {Inputs} */ inputs) =>
  /** @type {string[]} */ ([inputs['private-key'], inputs['preshared-key']].filter(Boolean))

/**
 * Asserts that the secrets were masked and appear nowhere in what a step printed, wrote or started:
 * no command line, and no environment of a process other than the step itself (which the runner
 * gives its inputs and tokens) holds them or the runner's tokens.
 * @param {string[]} secrets
 * @param {Job} job
 * @param {StepResult[]} steps
 * @param {Set<string>} [commandLines]
 * @param {Set<string>} [environments]
 */
export function expectNoSecrets(secrets, job, steps, commandLines = new Set(), environments = new Set()) {
  /** @type {[where: string, text: string][]} */
  const places = []
  // `::add-mask::` is how a step registers a secret with the runner, which swallows the line.
  const logged = (/** @type {string} */ out) =>
    out
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n')
  for (const s of steps)
    places.push(
      ['stdout', logged(s.stdout)],
      ['stderr', s.stderr],
      ['outputs', JSON.stringify(s.outputs)],
      ['state', s.state],
      ['summary', s.summary]
    )
  for (const f of [...L.filesBelow(job.temp), ...L.filesBelow(job.workspace)]) places.push([f.path, f.text])
  for (const c of commandLines) places.push(['command line', c])
  // The steps themselves hold their inputs: their own process, and a child caught between fork and
  // exec (it still shows the step's command line and environment) or mid-exec (no command line yet).
  const stepPids = new Set(steps.map((s) => String(s.pid)))
  const step = (/** @type {string} */ text) => {
    // Each sample is `PID\nCMDLINE\nENV` (sampleCommandLines).
    const [pid, cmdline] = /** @type {[string, string]} */ (text.split('\n', 2))
    return stepPids.has(pid) || cmdline === '' || cmdline.includes(L.MAIN) || cmdline.includes(L.POST)
  }
  for (const e of environments) if (!step(e)) places.push(['environment of a child', e])
  for (const token of Object.values(L.RUNNER_TOKENS)) {
    for (const e of environments)
      if (!step(e) && e.includes(token)) throw new Error(`a runner token reached a child: ${e.split('\n', 2)[1]}`)
  }
  for (const key of secrets)
    if (!steps[0]?.stdout.includes(`::add-mask::${key}`)) throw new Error('a secret was not masked')
  // Every form a key may take in a leak: base64 as given, and hex as the UAPI speaks it.
  for (const secret of secrets.flatMap((k) => [k, Buffer.from(k, 'base64').toString('hex')])) {
    for (const [where, text] of places) {
      if (text.includes(secret)) throw new Error(`a secret appeared in ${where}`)
    }
  }
}

/** Asserts the runner namespace and the machine look as they did before main. */
export function expectClean(/** @type {Lab} */ lab, /** @type {Job} */ job, /** @type {Snapshot} */ before) {
  const after = L.snapshot(lab)
  expect(after).toEqual(before)
  expect(after.processes).toEqual([])
  expect(after.sockets).toEqual([])
  expect(L.filesBelow(job.temp)).toEqual([])
  expect(L.filesBelow(job.workspace)).toEqual([])
}

/**
 * Runs main (sampling every process's command line meanwhile), then `between(main)`, then post;
 * checks secrets and cleanliness. Resolves with both steps' results.
 * @template [T=undefined]
 * @param {Lab} lab
 * @param {Inputs} inputs
 * @param {object} [opts]
 * @param {string} [opts.user] run as this user (default root)
 * @param {(main: StepResult, job: Job) => T | Promise<T>} [opts.between] checks while the tunnel is up
 * @param {Record<string, string | undefined>} [opts.env]
 * @param {Snapshot} [opts.before] what the runner namespace must look like after post
 * @param {(post: StepResult) => unknown} [opts.afterPost]
 * @returns {Promise<{ main: StepResult, post: StepResult, job: Job, checked: T | undefined }>}
 */
export async function mainThenPost(lab, inputs, { user, between, env, before = undefined, afterPost } = {}) {
  await lab.ready
  const job = L.createJob(lab, user)
  before ??= L.snapshot(lab)
  const {
    result: main,
    commandLines,
    environments
  } = await L.sampleCommandLines(() => L.runStep(lab, job, 'main', inputs, { env }))
  // Not root: every privileged command went through `sudo -n`, and none ran without it.
  if (user) expect(main.stdout).toMatch(/run: sudo -n \S*(wireguard-go|wg|ip) /)
  let checked
  let failure
  try {
    checked = between ? await between(main, job) : undefined
  } catch (err) {
    failure = err
  }
  // Post runs whatever happened, as `post-if: always()` makes the runner do.
  const post = await L.runStep(lab, job, 'post', {}, { env })
  if (failure) throw failure
  if (afterPost) await afterPost(post)
  expect(post.code).toBe(0)
  expect(post.stdout).not.toMatch(/^::error::/m)
  expectNoSecrets(secretsOf(inputs), job, [main, post], commandLines, environments)
  try {
    expectClean(lab, job, before)
  } catch (err) {
    // What post said is the first evidence of why something was left: keep it with the failure.
    if (err instanceof Error) err.message += `\n--- post's output ---\n${post.stdout}${post.stderr}`
    throw err
  }
  return { main, post, job, checked }
}

/** Asserts main succeeded, reported its outputs, and the service answers through the tunnel. */
export function expectUp(/** @type {Lab} */ lab, /** @type {StepResult} */ main, /** @type {string} */ url) {
  if (main.code !== 0) throw new Error(`main failed (${main.code}):\n${main.stdout}\n${main.stderr}`)
  expect(main.outputs['public-key']).toBe(lab.runnerPub)
  expect(main.outputs.interface).toBe(lab.iface)
  expect(main.summary).toContain('WireGuard tunnel is up')
  const got = L.curl(lab, url)
  // The service names the caller: a tunnel address, so the request went through the tunnel.
  expect(got).toMatchObject({ ok: true })
  expect(got.body).toMatch(
    new RegExp(`^hello from the private network\nyou are (${L.RUNNER_ADDR}|${L.RUNNER_ADDR6})\n$`)
  )
}
