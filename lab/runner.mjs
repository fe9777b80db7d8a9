// @ts-check
// Runner emulation: the part of the lab that runs a JavaScript action exactly as GitHub's runner
// does, and that other action authors may copy. A job's files (RUNNER_TEMP, the workspace,
// GITHUB_STATE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), INPUT_* variables, the runner's own tokens in
// the environment (which nothing the action starts may inherit), main, then post with STATE_*.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAIN, NODE24, POST, sh, tryRun } from './machine.mjs'

/** @import { ChildProcess } from 'node:child_process' */
/** @import { Inputs, Lab } from './network.mjs' */

/**
 * A job's runner files (see createJob).
 * @typedef {object} Job
 * @property {string} dir
 * @property {string | undefined} user the user the steps run as; undefined: root
 * @property {string} temp RUNNER_TEMP
 * @property {string} workspace GITHUB_WORKSPACE
 * @property {string} state GITHUB_STATE
 * @property {string} output GITHUB_OUTPUT
 * @property {string} summary GITHUB_STEP_SUMMARY
 */

/**
 * @typedef {object} StepOptions
 * @property {Record<string, string | undefined>} [env] variables over the runner's (STATE_* included)
 * @property {boolean} [noNetAdmin] run without CAP_NET_ADMIN, as in a job container
 * @property {number} [slowReader] read the step's stdout only after this many milliseconds
 * @property {(child: ChildProcess) => void} [onSpawn] called with the step's process once started
 */

/**
 * How a step ended: `code` -1 when it could not start; `outputs` parsed from GITHUB_OUTPUT, `state`
 * and `summary` as the files hold them.
 * @typedef {object} StepResult
 * @property {number | undefined} [pid]
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {number} ms
 * @property {string} stdout
 * @property {string} stderr
 * @property {Record<string, string>} outputs
 * @property {string} state
 * @property {string} summary
 */

/** Tokens the runner gives every step: secrets of the runner's, never to reach a child process. */
export const RUNNER_TOKENS = {
  ACTIONS_RUNTIME_TOKEN: `runtime-${randomBytes(12).toString('hex')}`,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: `idrequest-${randomBytes(12).toString('hex')}`
}

/**
 * Parses a GITHUB_STATE / GITHUB_OUTPUT file (`name=value` and `name<<DELIMITER` blocks) into
 * name → last value.
 * @param {string} text
 */
export function parseFileCommands(text) {
  /** @type {Record<string, string>} */
  const out = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = /** @type {string} */ (lines[i])
    const m = /^([^<=]+)<<(.+)$/.exec(line)
    if (m) {
      const [, name, delimiter] = /** @type {[string, string, string]} */ (/** @type {unknown} */ (m))
      const value = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      out[name] = value.join('\n')
    } else if (line.includes('=')) {
      const at = line.indexOf('=')
      out[line.slice(0, at)] = line.slice(at + 1)
    }
  }
  return out
}

/**
 * A job's worth of runner files: RUNNER_TEMP, the workspace, GITHUB_STATE, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY, owned by `user` when given.
 */
/**
 * @param {Lab} lab
 * @param {string} [user]
 */
export function createJob(lab, user) {
  const dir = mkdtempSync(join(tmpdir(), 'wgt-job-'))
  lab.dirs.push(dir)
  /** @type {Job} */
  const job = {
    dir,
    user,
    temp: join(dir, 'runner-temp'),
    workspace: join(dir, 'workspace'),
    state: join(dir, 'state'),
    output: join(dir, 'output'),
    summary: join(dir, 'summary')
  }
  mkdirSync(job.temp)
  mkdirSync(job.workspace)
  for (const f of [job.state, job.output, job.summary]) writeFileSync(f, '')
  if (user) {
    const uid = Number(sh(['id', '-u', user]))
    const gid = Number(sh(['id', '-g', user]))
    chmodSync(dir, 0o755)
    for (const p of [job.temp, job.workspace, job.state, job.output, job.summary]) chownSync(p, uid, gid)
  }
  return job
}

/**
 * Runs the bundled main or post step in the runner namespace as the runner does: Node 24,
 * INPUT_* variables (names upper-cased, as the runner does), the runner's files, and for post the
 * STATE_* variables main saved. Resolves with exit code, output, duration, outputs and state.
 * @param {Lab} lab
 * @param {Job} job
 * @param {'main' | 'post'} step
 * @param {Inputs} [inputs]
 * @param {StepOptions} [opts]
 * @returns {Promise<StepResult>}
 */
export function runStep(lab, job, step, inputs = {}, opts = {}) {
  /** @type {Record<string, string | undefined>} */
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin',
    HOME: job.dir,
    RUNNER_TEMP: job.temp,
    GITHUB_WORKSPACE: job.workspace,
    GITHUB_STATE: job.state,
    GITHUB_OUTPUT: job.output,
    GITHUB_STEP_SUMMARY: job.summary,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    ...RUNNER_TOKENS,
    ...opts.env
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  if (step === 'post') {
    for (const [name, value] of Object.entries(parseFileCommands(readFileSync(job.state, 'utf8'))))
      env[`STATE_${name}`] = value
  }
  // What the caller gives wins, STATE_* included (tests of partial or crafted state).
  Object.assign(env, opts.env)
  const asUser = job.user ? ['/usr/bin/setpriv', `--reuid=${job.user}`, `--regid=${job.user}`, '--init-groups'] : []
  // A job container without CAP_NET_ADMIN: root, but unable to make interfaces.
  if (opts.noNetAdmin) asUser.push('/usr/bin/setpriv', '--bounding-set', '-net_admin', '--inh-caps', '-net_admin')
  const script = step === 'post' ? POST : MAIN
  // A step that cannot read its own files fails with no output at all: say so instead.
  if (
    job.user &&
    tryRun(['/usr/bin/setpriv', `--reuid=${job.user}`, `--regid=${job.user}`, '--init-groups', 'test', '-r', script])
      .status !== 0
  ) {
    throw new Error(`${job.user} cannot read ${script}: put the checkout where that user can read it`)
  }
  const argv = ['/bin/ip', 'netns', 'exec', lab.run, ...asUser, NODE24, script]
  const started = process.hrtime.bigint()
  return new Promise((resolve) => {
    const child = spawn(/** @type {string} */ (argv[0]), argv.slice(1), {
      env,
      cwd: job.workspace,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    // A runner that reads the step's output slowly (a busy log pipe): the step must still flush it all.
    if (opts.slowReader) {
      child.stdout.pause()
      setTimeout(() => child.stdout.resume(), opts.slowReader)
    }
    if (opts.onSpawn) opts.onSpawn(child)
    child.on('error', (err) =>
      resolve({
        code: -1,
        signal: null,
        ms: 0,
        stdout,
        stderr: `${stderr}${err.message}`,
        outputs: {},
        state: '',
        summary: ''
      })
    )
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      resolve({
        pid: child.pid,
        code,
        signal,
        ms,
        stdout,
        stderr,
        outputs: parseFileCommands(readFileSync(job.output, 'utf8')),
        state: readFileSync(job.state, 'utf8'),
        summary: readFileSync(job.summary, 'utf8')
      })
    })
  })
}

/** The `::error::` line of a failed step, unescaped. */
export function errorLine(/** @type {{ stdout: string }} */ result) {
  const line = result.stdout.split('\n').find((l) => l.startsWith('::error::'))
  return line?.slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}

/** Every file below `dir`, with its contents. */
export function filesBelow(/** @type {string} */ dir) {
  /** @type {{ path: string, text: string }[]} */
  const out = []
  if (!existsSync(dir)) return out
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      // Node before 20.12 calls parentPath `path` (@types/node 24 no longer declares it).
      const path = join(
        entry.parentPath ?? /** @type {{ path: string }} */ (/** @type {unknown} */ (entry)).path,
        entry.name
      )
      out.push({ path, text: readFileSync(path, 'utf8') })
    }
  }
  return out
}
