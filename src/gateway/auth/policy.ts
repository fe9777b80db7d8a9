// Which tokens may lease: deny by default; a token passes when it matches every claim of one rule.
// A rule value matches exactly, or, ending in `*`, as a prefix. Applied only to verified claims. Pure.
import type { AccessRule } from '../settings.js'

/** A claim as a string: strings as they are, whole numbers in decimal; anything else matches nothing. */
function claimText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  return undefined
}

export function valueMatches(pattern: string, value: unknown): boolean {
  const text = claimText(value)
  if (text === undefined) return false
  return pattern.endsWith('*') ? text.startsWith(pattern.slice(0, -1)) : text === pattern
}

function ruleMatches(rule: Pick<AccessRule, 'claims'>, claims: Record<string, unknown>): boolean {
  return Object.entries(rule.claims).every(([name, pattern]) => valueMatches(pattern, claims[name]))
}

/** The index of the first rule the claims satisfy, or -1. */
export function matchRule(rules: readonly Pick<AccessRule, 'claims'>[], claims: Record<string, unknown>): number {
  return rules.findIndex((r) => ruleMatches(r, claims))
}

/** The claim names the rules look at, for a refusal that says what was checked (never the values). */
export function checkedClaims(rules: readonly Pick<AccessRule, 'claims'>[]): string[] {
  return [...new Set(rules.flatMap((r) => Object.keys(r.claims)))].sort()
}
