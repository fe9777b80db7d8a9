// Rules: deny by default; every claim of one rule must match; ids are exact, a trailing * is a prefix.
import { describe, expect, it } from '@jest/globals'
import type { AccessRule } from '../../../../src/gateway/settings.js'
import { checkedClaims, matchRule, valueMatches } from '../../../../src/gateway/auth/policy.js'

const token = {
  repository: 'octo/app',
  repository_id: '5678',
  repository_owner: 'octo',
  repository_owner_id: '1234',
  ref: 'refs/heads/release/1.2'
}

describe('gateway rules', () => {
  it('denies when there are no rules', () => {
    expect(matchRule([], token)).toBe(-1)
  })

  it('needs every claim of a rule, and picks the first rule that matches', () => {
    const rules: Pick<AccessRule, 'claims'>[] = [
      { claims: { repository_id: '5678', ref: 'refs/heads/main' } },
      { claims: { repository_owner_id: '1234', ref: 'refs/heads/release/*' } }
    ]
    expect(matchRule(rules, token)).toBe(1)
    expect(matchRule(rules, { ...token, ref: 'refs/heads/main' })).toBe(0)
    expect(matchRule(rules, { ...token, ref: 'refs/tags/v1' })).toBe(-1)
  })

  it('refuses a name whose id differs (a renamed or re-registered owner)', () => {
    const rules: Pick<AccessRule, 'claims'>[] = [{ claims: { repository_owner_id: '1234', repository: 'octo/app' } }]
    expect(matchRule(rules, { ...token, repository_owner_id: '9999' })).toBe(-1)
    expect(matchRule(rules, token)).toBe(0)
  })

  it('compares ids exactly: no prefix, no numeric tricks', () => {
    expect(valueMatches('1234', '12345')).toBe(false)
    expect(valueMatches('1234', '01234')).toBe(false)
    expect(valueMatches('1234', ' 1234')).toBe(false)
    expect(valueMatches('1234', 1234)).toBe(true)
    expect(valueMatches('1234', 1234.5)).toBe(false)
    expect(valueMatches('1234', ['1234'])).toBe(false)
    expect(valueMatches('1234', undefined)).toBe(false)
    expect(valueMatches('true', true)).toBe(false)
  })

  it('treats only a trailing * as a prefix', () => {
    expect(valueMatches('refs/heads/*', 'refs/heads/main')).toBe(true)
    expect(valueMatches('refs/heads/*', 'refs/heads/')).toBe(true)
    expect(valueMatches('refs/heads/*', 'refs/tags/x')).toBe(false)
    expect(valueMatches('refs/heads/main', 'refs/heads/main2')).toBe(false)
    expect(valueMatches('refs/heads/main', 'refs/heads/*')).toBe(false)
  })

  it('lists the claims it checks, never values', () => {
    expect(checkedClaims([{ claims: { ref: 'x', repository_id: '1' } }, { claims: { repository_id: '2' } }])).toEqual([
      'ref',
      'repository_id'
    ])
  })
})
