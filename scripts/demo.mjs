// @ts-check
// npm run demo: the bundled action brings a tunnel up to a throwaway WireGuard peer in a network
// namespace, shows what the workflow log and job summary would show, curls a service through the
// tunnel, and tears everything down. Needs root (namespaces); installs what it needs.
import * as L from '../lab/lab.mjs'

const say = (/** @type {string} */ text) => console.log(`\x1b[1m${text}\x1b[0m`)

/** Renders workflow commands the way the Actions log shows them. */
function asLog(/** @type {string} */ stdout) {
  return stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('::debug::') && !l.startsWith('::add-mask::'))
    .map((l) =>
      l
        .replace(/^::group::(.*)$/, '▸ $1')
        .replace(/^::endgroup::$/, '')
        .replace(/^::(error|warning)::(.*)$/, 'Error: $2')
    )
    .join('\n')
}

/** The job summary's HTML as plain text rows. */
function asText(/** @type {string} */ html) {
  return html
    .replace(/<h3>(.*?)<\/h3>/g, '## $1\n')
    .replace(/<\/tr>/g, '\n')
    .replace(/<\/t[hd]>/g, ' | ')
    .replace(/<[^>]+>/g, '')
    .trim()
}

L.prepareMachine()
const lab = L.createLab()
let failed
try {
  await lab.ready
  const job = L.createJob(lab)
  const inputs = L.actionInputs(lab, {
    endpoint: `${L.ENDPOINT_NAME}:${L.PORT}`,
    'allowed-ips': `${L.SERVER_ADDR}/24, 203.0.113.0/24`,
    check: `http://${L.BEHIND}:${L.HTTP_PORT}/`
  })
  say(`A throwaway WireGuard server listens at ${L.ENDPOINT_NAME}:${L.PORT} (${L.SERVER_IP}) in namespace ${lab.srv};`)
  say(`the action runs in namespace ${lab.run}, as a runner would run it:\n`)
  say('─── uses: wireguard-tunnel (main) ───')
  const main = await L.runStep(lab, job, 'main', inputs)
  console.log(asLog(main.stdout), main.stderr)
  say('\n─── job summary ───')
  console.log(asText(main.summary))
  say(`\n─── run: curl http://${L.BEHIND}:${L.HTTP_PORT}/ (a later step) ───`)
  const got = L.curl(lab, `http://${L.BEHIND}:${L.HTTP_PORT}/`)
  console.log(got.ok ? got.body.trim() : `curl failed: ${got.error}`)
  say('\n─── post: wireguard-tunnel ───')
  const post = await L.runStep(lab, job, 'post')
  console.log(asLog(post.stdout))
  const left = L.snapshot(lab)
  const clean = !left.links.includes(lab.iface) && left.processes.length === 0 && left.sockets.length === 0
  say(
    `\nAfter post: ${clean ? 'no interface, route, socket or process of ours is left' : `left behind: ${JSON.stringify(left)}`}`
  )
  say('\n─── and when it cannot connect: a peer key the server does not have, timeout: 3 ───')
  const wrongJob = L.createJob(lab)
  const wrong = await L.runStep(lab, wrongJob, 'main', { ...inputs, 'private-key': L.genKey(), timeout: '3' })
  console.log(asLog(wrong.stdout))
  say(`(failed in ${(wrong.ms / 1000).toFixed(1)} s, everything rolled back)`)
  const wrongPost = await L.runStep(lab, wrongJob, 'post')
  failed = main.code !== 0 || !got.ok || post.code !== 0 || !clean || wrong.code !== 1 || wrongPost.code !== 0
} finally {
  L.destroyLab(lab)
}
process.exit(failed ? 1 : 0)
