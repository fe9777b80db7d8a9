// The unit tests' view of a static configuration: the step's settings and its tunnel side by side
// (cfg.iface, cfg.peers, cfg.privateKey, …), built by readConfig as the action builds them.
import { readConfig, type GetInput, type Settings, type Tunnel } from '../../../src/action/inputs/inputs.js'

export type Fields = Settings & Tunnel

/** readConfig of these inputs (a map, or a getter as the runner's), settings and tunnel together. */
export function fields(inputs: Record<string, string> | GetInput): Fields {
  const get: GetInput = typeof inputs === 'function' ? inputs : (name) => inputs[name] ?? ''
  const { source, ...settings } = readConfig(get)
  if (source.kind !== 'static') throw new Error('fields() is for static tunnels: these inputs ask for a gateway')
  return { ...settings, ...source.tunnel }
}
