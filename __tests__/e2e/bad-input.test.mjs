// @ts-check
// Every malformed input, given to the bundled action as the runner gives it: one clear error
// naming the input, and nothing touched: no process started, no file written, no state saved.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { badInputs, PEER, PRIVATE, PSK, valid } from '../fixtures.mjs'
import { L } from './helpers.mjs'

/** @type {L.Lab} */
let lab
/** @type {string} */
let stubs
const TOOLS = ['wg', 'ip', 'wireguard-go', 'sudo', 'apt-get', 'ping', 'kill', 'rm', 'env', 'modprobe']

beforeAll(async () => {
  lab = L.createLab()
  await lab.ready
  // Stand-ins for every program the action may start: each records that it ran.
  stubs = mkdtempSync(join(tmpdir(), 'wgt-stubs-'))
  for (const tool of TOOLS) {
    writeFileSync(join(stubs, tool), `#!/bin/sh\necho "${tool} $*" >> ${stubs}/ran.log\nexit 1\n`)
    chmodSync(join(stubs, tool), 0o755)
  }
  writeFileSync(join(stubs, 'ran.log'), '')
})
afterAll(() => {
  if (lab) L.destroyLab(lab)
  if (stubs) rmSync(stubs, { recursive: true, force: true })
})

describe('malformed inputs through dist/', () => {
  it.each(
    badInputs.map(
      ([label, input, value, others]) =>
        /** @type {[string, string, string, Record<string, string>]} */ ([label, input, value, others ?? {}])
    )
  )('%s', async (_label, input, value, others) => {
    const job = L.createJob(lab)
    const r = await L.runStep(lab, job, 'main', { ...valid, ...others, [input]: value }, { env: { PATH: stubs } })
    expect(r.code).toBe(1)
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(L.errorLine(r)).toMatch(new RegExp(`^Input "${input}": `))
    expect(readFileSync(join(stubs, 'ran.log'), 'utf8')).toBe('')
    expect(L.filesBelow(job.temp)).toEqual([])
    expect(L.filesBelow(job.workspace)).toEqual([])
    expect(r.state).toBe('')
    expect(r.outputs).toEqual({})
    expect(r.summary).toBe('')
    if (input === 'config') {
      const logged = (r.stdout + r.stderr)
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n')
      for (const secret of [PRIVATE, PRIVATE.slice(1)]) expect(logged).not.toContain(secret)
      expect(r.stdout).toContain('::add-mask::')
    }
    if (input === 'private-key' || input === 'preshared-key') {
      // The runner swallows `::add-mask::` lines; nothing else may carry any line of the secret.
      const logged = (r.stdout + r.stderr)
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n')
      for (const line of value
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length >= 8))
        expect(logged).not.toContain(line)
      if (value.trim() !== '') expect(r.stdout).toContain('::add-mask::')
    }
  })
})

const HEX = Buffer.from(PRIVATE, 'base64').toString('hex')
const PSK_HEX = Buffer.from(PSK, 'base64').toString('hex')
const NO_FIELDS = { 'private-key': '', address: '', 'peer-public-key': '', endpoint: '' }
const head = '[Interface]\nAddress = 192.0.2.2/24\n'
const tail = `[Peer]\nPublicKey = ${PEER}\nEndpoint = 198.51.100.1:51820\nAllowedIPs = 192.0.2.0/24\n`

/**
 * [label, config, line the error names, the secret-shaped pieces the config holds as written]:
 * configuration typos of every shape. Each must be refused naming the line, show no 8-character
 * piece of any secret anywhere, and have every piece masked.
 */
/** @type {[label: string, config: string, line: number, secrets: string[]][]} */
const typos = [
  ['PrivateKey: (a YAML habit)', `[Interface]\nPrivateKey: ${PRIVATE}\nAddress = 192.0.2.2/24\n${tail}`, 2, [PRIVATE]],
  ['PrivateKey and a space', `[Interface]\nPrivateKey ${PRIVATE}\n${tail}`, 2, [PRIVATE]],
  ['PrivateKey and a tab', `[Interface]\nPrivateKey\t${PRIVATE}\n${tail}`, 2, [PRIVATE]],
  ['PrivateKey glued to the key', `[Interface]\nPrivateKey${PRIVATE}\n${tail}`, 2, [PRIVATE]],
  ['a bare key line', `[Interface]\n${PRIVATE}\nAddress = 192.0.2.2/24\n${tail}`, 2, [PRIVATE]],
  ['a bare key line without "="', `[Interface]\n${PRIVATE.slice(0, -1)}\n${tail}`, 2, [PRIVATE.slice(0, -1)]],
  ['a bare hex key line', `[Interface]\n${HEX}\n${tail}`, 2, [HEX]],
  ['PrivateKey: before any section', `PrivateKey: ${PRIVATE}\n${head}${tail}`, 1, [PRIVATE]],
  ['PresharedKey: in [Peer]', `${head}PrivateKey = ${PRIVATE}\n${tail}PresharedKey: ${PSK}\n`, 8, [PRIVATE, PSK]],
  [
    'PresharedKey and a space in [Interface]',
    `${head}PrivateKey = ${PRIVATE}\nPresharedKey ${PSK}\n${tail}`,
    4,
    [PRIVATE, PSK]
  ],
  ['an unknown key whose name is a key', `${head}PrivateKey = ${PRIVATE}\n${PSK} = 1\n${tail}`, 4, [PRIVATE, PSK]],
  [
    'an unknown key whose name is part of a key',
    `${head}PrivateKey = ${PRIVATE}\n${PSK.slice(0, 20)} = 1\n${tail}`,
    4,
    [PRIVATE, PSK.slice(0, 20)]
  ],
  ['[Interface] with the key on its line', `[Interface] ${PRIVATE}\n${tail}`, 1, [PRIVATE]],
  [
    'a key cut by #',
    `${head}PrivateKey = ${PRIVATE.slice(0, 20)}#${PRIVATE.slice(21)}\n${tail}`,
    3,
    [PRIVATE.slice(0, 20), PRIVATE.slice(21)]
  ],
  ['a hex private key after a colon', `${head}PrivateKey: ${HEX}\n${tail}`, 3, [HEX]],
  [
    'a hex preshared key after a tab',
    `${head}PrivateKey = ${PRIVATE}\n${tail}PresharedKey\t${PSK_HEX}\n`,
    8,
    [PRIVATE, PSK_HEX]
  ],
  [
    'a key as the Endpoint',
    `${head}PrivateKey = ${PRIVATE}\n[Peer]\nPublicKey = ${PEER}\nEndpoint = ${PSK}:51820\n`,
    6,
    [PRIVATE, PSK]
  ],
  ['a key as the Address', `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = ${PSK}\n${tail}`, 3, [PRIVATE, PSK]],
  [
    'a key split over two lines',
    `${head}PrivateKey = ${PRIVATE.slice(0, 22)}\n${PRIVATE.slice(22)}\n${tail}`,
    3,
    [PRIVATE.slice(0, 22), PRIVATE.slice(22)]
  ],
  ['Private Key: with a space in the name', `[Interface]\nPrivate Key: ${PRIVATE}\n${tail}`, 2, [PRIVATE]],
  ['a key in quotes', `${head}PrivateKey = "${PRIVATE}"\n${tail}`, 3, [PRIVATE]]
]

/** What a step showed: stdout without the `::add-mask::` lines the runner swallows, stderr, outputs, state, summary. */
const visible = (/** @type {L.StepResult} */ r) =>
  [
    r.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    r.stderr,
    JSON.stringify(r.outputs),
    r.state,
    r.summary
  ].join('\n')

/** The strings the step registered as secrets, unescaped as the runner reads them. */
const masksOf = (/** @type {L.StepResult} */ r) =>
  r.stdout
    .split('\n')
    .filter((l) => l.startsWith('::add-mask::'))
    .map((l) => l.slice('::add-mask::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'))

/** Every 8-character piece of a secret. */
const pieces8 = (/** @type {string} */ s) =>
  Array.from({ length: Math.max(0, s.length - 7) }, (_, i) => s.slice(i, i + 8))

describe('configuration typos through dist/: the line named, no piece of a key shown, every key masked', () => {
  it.each(typos)('%s', async (_label, config, line, secrets) => {
    const job = L.createJob(lab)
    const r = await L.runStep(lab, job, 'main', { ...NO_FIELDS, config }, { env: { PATH: stubs } })
    expect(r.code).toBe(1)
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toHaveLength(1)
    expect(L.errorLine(r)).toMatch(new RegExp(`^Input "config": line ${line}: `))
    expect(readFileSync(join(stubs, 'ran.log'), 'utf8')).toBe('')
    const shown = visible(r)
    for (const secret of [PRIVATE, PSK, HEX, PSK_HEX, ...secrets])
      for (const piece of pieces8(secret)) expect(shown).not.toContain(piece)
    // Each secret-shaped piece of the config, printed anywhere, would be masked whole.
    const masks = masksOf(r).sort((a, b) => b.length - a.length)
    for (const secret of secrets) {
      let masked = secret
      for (const m of masks) masked = masked.split(m).join('***')
      for (const piece of pieces8(secret)) expect(masked).not.toContain(piece)
    }
  })
})

describe('inputs refused before anything runs', () => {
  it.each([
    ['interface that is an option', { interface: '--version' }, 'interface'],
    ['interface Linux refuses', { interface: 'all' }, 'interface'],
    ['gateway with a private key', { gateway: 'https://vpn.example.com/' }, 'gateway'],
    ['gateway over http to a remote host', { ...NO_FIELDS, gateway: 'http://vpn.example.com/' }, 'gateway'],
    ['a key pasted into endpoint', { endpoint: `${PRIVATE}:51820` }, 'endpoint']
  ])('%s', async (_label, inputs, input) => {
    const job = L.createJob(lab)
    const r = await L.runStep(lab, job, 'main', { ...valid, ...inputs }, { env: { PATH: stubs } })
    expect(r.code).toBe(1)
    expect(L.errorLine(r)).toMatch(new RegExp(`^Input "${input}": `))
    expect(readFileSync(join(stubs, 'ran.log'), 'utf8')).toBe('')
    for (const piece of pieces8(PRIVATE)) expect(visible(r)).not.toContain(piece)
  })
})

// Speed is measured by `npm run bench`, not here; this holds what keeps a refused step's cold start
// short: Node's modules for processes, cryptography and networking (milliseconds each to load) are
// loaded when first used, never at start, so a step refused at its inputs (or a post with nothing
// to undo) loads none of them.
describe('a step with nothing to do loads none of the slow Node modules', () => {
  const SLOW = ['child_process', 'crypto', 'dgram', 'dns', 'http', 'https', 'tls']
  it.each([
    ['main refused at its inputs', L.MAIN],
    ['post after a main that made nothing', L.POST]
  ])('%s', (_label, script) => {
    const preload = join(stubs, 'modules.cjs')
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(`${preload}.out`)}, process.moduleLoadList.join('\\n')))\n`
    )
    const r = spawnSync(L.NODE24, ['--require', preload, script], { env: { PATH: process.env.PATH }, encoding: 'utf8' })
    expect(r.status).toBe(script === L.MAIN ? 1 : 0)
    const loaded = readFileSync(`${preload}.out`, 'utf8').split('\n')
    // A list that names fs is Node's own (an empty one would pass whatever the bundle loads).
    expect(loaded).toContain('NativeModule fs')
    expect(SLOW.filter((m) => loaded.includes(`NativeModule ${m}`))).toEqual([])
  })
})
