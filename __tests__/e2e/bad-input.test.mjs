// Every malformed input, given to the bundled action as the runner gives it: one clear error
// naming the input, and nothing touched: no process started, no file written, no state saved.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { badInputs, PRIVATE, valid } from '../fixtures.mjs'
import { L } from './helpers.mjs'

let lab
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
  it.each(badInputs.map(([label, input, value, others]) => [label, input, value, others ?? {}]))(
    '%s',
    async (_label, input, value, others) => {
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
    }
  )
})
