// A stand-in for src/action/toolkit.ts (the runner's protocol): inputs come from a map, and every
// line, output, state value and failure is kept for the test to read instead of going to stdout
// and the runner's files. Mock it with `jest.unstable_mockModule(TOOLKIT, () => fakeToolkit)`.
import type * as Toolkit from '../../../../src/action/toolkit.js'

export const kit = {
  /** The step's inputs, by name (`private-key`, `config`, …). */
  inputs: {} as Record<string, string>,
  /** STATE_* as the runner hands them to post. */
  given: {} as Record<string, string>,
  infos: [] as string[],
  warnings: [] as string[],
  debugs: [] as string[],
  secrets: [] as string[],
  failures: [] as string[],
  summary: [] as string[],
  outputs: {} as Record<string, string>,
  /** Every value saved under each state name, in order (the journal after each change). */
  saved: {} as Record<string, string[]>,
  /** Made to throw by a test that proves its caller survives anything. */
  throwOnGetState: false,

  reset(inputs: Record<string, string> = {}, given: Record<string, string> = {}): void {
    this.inputs = inputs
    this.given = given
    for (const list of [this.infos, this.warnings, this.debugs, this.secrets, this.failures, this.summary]) {
      list.length = 0
    }
    this.outputs = {}
    this.saved = {}
    this.throwOnGetState = false
  },

  /** The last value saved under a state name ('' once emptied). */
  state(name: string): string | undefined {
    return this.saved[name]?.at(-1)
  }
}

export const fakeToolkit: typeof Toolkit = {
  getInput: (name) => (kit.inputs[name] ?? '').trim(),
  setSecret: (s) => void kit.secrets.push(s),
  debug: (m) => void kit.debugs.push(m),
  warning: (m) => void kit.warnings.push(m),
  info: (m) => void kit.infos.push(m),
  startGroup: (name) => void kit.infos.push(`::group::${name}`),
  endGroup: () => void kit.infos.push('::endgroup::'),
  setFailed: (m) => void kit.failures.push(m),
  fileCommandText: (name, value) => `${name}<<EOF\n${value}\nEOF\n`,
  setOutput: (name, value) => void (kit.outputs[name] = value),
  saveState: (name, value) => void (kit.saved[name] ??= []).push(value),
  getState: (name) => {
    if (kit.throwOnGetState) throw new Error('the runner handed over no state')
    return kit.given[name] ?? ''
  },
  appendSummary: (markdown) => void kit.summary.push(markdown)
}
