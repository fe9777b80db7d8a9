// Every action a workflow uses is pinned by full commit SHA, with the version it is in a comment
// (`uses: owner/repo@<40 hex> # vX.Y.Z`) for Dependabot and for reading: a tag can be moved to
// other code, a commit cannot. The action itself (`uses: ./`) is this checkout.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'

const dir = new URL('../../.github/workflows/', import.meta.url)
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))

/** Every `uses:` of a workflow's steps, from the parsed YAML (so that no form of writing it escapes). */
function usesOf(text: string): string[] {
  const doc = parse(text) as { jobs: Record<string, { uses?: string; steps?: { uses?: string }[] }> }
  return Object.values(doc.jobs).flatMap((job) => [
    ...(job.uses ? [job.uses] : []),
    ...(job.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : []))
  ])
}

describe('workflow actions pinned by commit', () => {
  it('finds the workflows', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'codeql.yml', 'release.yml']))
  })
  it.each(files)('%s: every action by full SHA, its version in a comment', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8')
    const uses = usesOf(text).filter((u) => !u.startsWith('./'))
    expect(uses.length).toBeGreaterThan(0)
    for (const u of uses) {
      expect(u).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
      expect(text).toMatch(new RegExp(`uses: ${u.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # v\\d+(\\.\\d+)*\\n`))
    }
  })
})
