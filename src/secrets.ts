// Which strings the runner must mask, worked out before anything is logged.
import { SECRET_INPUTS, type GetInput } from './config.js'

/** Every secret input whole, each of its lines, and each key of a configuration. */
export function secretsToMask(get: GetInput): string[] {
  const secrets = new Set<string>()
  for (const name of SECRET_INPUTS) {
    const value = get(name)
    if (value === '') continue
    secrets.add(value)
    const parts =
      name === 'config'
        ? [...value.matchAll(/^\s*(?:private|preshared)key\s*=\s*(\S+)/gim)].map((m) => m[1] ?? '')
        : value.split('\n')
    for (const part of parts.map((p) => p.trim())) if (part.length >= 8) secrets.add(part)
  }
  return [...secrets]
}
