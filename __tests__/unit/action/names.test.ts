// The names in src/action/names.ts are the ones action.yml declares: a name changed on one side
// only would read an input the runner never sets (always empty) or set an output no workflow sees.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUT, OUTPUT } from '../../../src/action/names.js'

const action = parse(readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}
const sorted = (names: readonly string[]): string[] => [...names].sort()

describe('names.ts against action.yml', () => {
  it('declares every input action.yml declares, and no other', () => {
    expect(sorted(Object.values(INPUT))).toEqual(sorted(Object.keys(action.inputs)))
  })
  it('declares every output action.yml declares, and no other', () => {
    expect(sorted(Object.values(OUTPUT))).toEqual(sorted(Object.keys(action.outputs)))
  })
})
