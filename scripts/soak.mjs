// @ts-check
// npm run soak [-- CYCLES]: consecutive main/post cycles against one lab peer, alternating root and
// a user with passwordless sudo. Reports failures and leftovers; exits non-zero if either is not 0.
import * as L from '../lab/lab.mjs'

const cycles = Number(process.argv[2] ?? 100)
if (!Number.isInteger(cycles) || cycles < 1 || cycles > 10000) throw new Error('CYCLES must be 1 to 10000')

L.prepareMachine()
const lab = L.createLab()
let failures = 0
let leftovers = 0
const started = Date.now()
try {
  await lab.ready
  const baseline = L.snapshot(lab)
  const inputs = L.actionInputs(lab, {
    'allowed-ips': `${L.SERVER_ADDR}/24, 203.0.113.0/24`,
    check: `http://${L.BEHIND}:${L.HTTP_PORT}/`,
    timeout: '10'
  })
  for (let i = 1; i <= cycles; i++) {
    const user = i % 2 === 0 ? L.SUDO_USER : undefined
    const job = L.createJob(lab, user)
    const main = await L.runStep(lab, job, 'main', inputs)
    const reached = main.code === 0 && L.curl(lab, `http://${L.BEHIND}:${L.HTTP_PORT}/`).ok
    const post = await L.runStep(lab, job, 'post')
    const ok = reached && post.code === 0 && !/::(warning|error)::/.test(post.stdout)
    const after = L.snapshot(lab)
    const clean = JSON.stringify(after) === JSON.stringify(baseline) && L.filesBelow(job.temp).length === 0
    if (!ok) {
      failures++
      console.log(`cycle ${i}: FAILED\n${main.stdout}\n${main.stderr}\n${post.stdout}`)
    }
    if (!clean) {
      leftovers++
      console.log(`cycle ${i}: LEFT BEHIND ${JSON.stringify(after)}`)
    }
    if (i % 10 === 0) console.log(`${i}/${cycles} cycles, ${failures} failures, ${leftovers} with leftovers`)
  }
} finally {
  L.destroyLab(lab)
}
console.log(
  `soak: ${cycles} main/post cycles in ${((Date.now() - started) / 1000).toFixed(1)} s: ${failures} failures, ${leftovers} with leftovers`
)
process.exit(failures === 0 && leftovers === 0 ? 0 : 1)
