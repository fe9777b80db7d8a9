// src/action/toolkit.ts speaks the runner's protocol in place of @actions/core: held here to produce what
// @actions/core produces for the same calls.
import { jest } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '@actions/core'
import * as ours from '../../../src/action/toolkit.js'

/** What a call writes to stdout. */
function stdoutOf(call: () => void): string {
  const chunks: string[] = []
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk))
    return true
  })
  try {
    call()
  } finally {
    spy.mockRestore()
  }
  return chunks.join('')
}

/** Name → value of a file-command file, delimiters aside. */
function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^(.+?)<<(.+)$/.exec(lines[i] ?? '')
    if (!m) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i] ?? '')
    out[m[1] ?? ''] = value.join('\n')
  }
  return out
}

describe('the runner protocol, as @actions/core speaks it', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
    process.exitCode = undefined
  })

  it.each(['plain', '50% done\r\nsecond line', '::not-a-command::', ''])('commands escape %j alike', (message) => {
    const pairs: [string, (m: string) => void, (m: string) => void][] = [
      ['warning', core.warning, ours.warning],
      ['debug', core.debug, ours.debug],
      ['setSecret', core.setSecret, ours.setSecret],
      ['group', core.startGroup, ours.startGroup]
    ]
    for (const [name, theirs, mine] of pairs) {
      const expected = stdoutOf(() => theirs(message))
      expect(expected).toContain('::')
      expect([name, stdoutOf(() => mine(message))]).toEqual([name, expected])
    }
    expect(stdoutOf(() => ours.setFailed(message))).toBe(stdoutOf(() => core.setFailed(message)))
    expect(process.exitCode).toBe(1)
  })

  it('inputs are read alike', () => {
    process.env['INPUT_PRIVATE-KEY'] = '  key  '
    process.env.INPUT_MY_INPUT = 'x'
    expect(ours.getInput('private-key')).toBe(core.getInput('private-key'))
    expect(ours.getInput('my input')).toBe(core.getInput('my input'))
    expect(ours.getInput('absent')).toBe(core.getInput('absent'))
  })

  it('outputs and state are file commands that parse alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgt-toolkit-'))
    for (const [variable, theirs, mine] of [
      ['GITHUB_OUTPUT', core.setOutput, ours.setOutput],
      ['GITHUB_STATE', core.saveState, ours.saveState]
    ] as const) {
      const a = join(dir, `${variable}.core`)
      const b = join(dir, `${variable}.ours`)
      writeFileSync(a, '')
      writeFileSync(b, '')
      process.env[variable] = a
      theirs('one', 'value')
      theirs('two', 'multi\nline {"json": true}')
      process.env[variable] = b
      mine('one', 'value')
      mine('two', 'multi\nline {"json": true}')
      expect(parseFileCommands(readFileSync(b, 'utf8'))).toEqual(parseFileCommands(readFileSync(a, 'utf8')))
    }
    process.env.STATE_created = '{"iface":"wg0"}'
    expect(ours.getState('created')).toBe(core.getState('created'))
  })

  it('refuses a value that contains its delimiter', () => {
    expect(() => ours.fileCommandText('x', 'a\nDELIM\nb', 'DELIM')).toThrow('contains its delimiter')
  })
})
