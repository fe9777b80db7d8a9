// The names the action shares with the runner, each written once: its inputs (which the runner
// passes as INPUT_<NAME> variables) and outputs, as action.yml declares them (a unit test holds
// these equal to action.yml), and the step state main hands to post (STATE_<name>).

/** The inputs of action.yml, by the name a workflow writes under `with:`. */
export const INPUT = {
  gateway: 'gateway',
  audience: 'audience',
  privateKey: 'private-key',
  address: 'address',
  peerPublicKey: 'peer-public-key',
  endpoint: 'endpoint',
  allowedIps: 'allowed-ips',
  presharedKey: 'preshared-key',
  persistentKeepalive: 'persistent-keepalive',
  dns: 'dns',
  config: 'config',
  mtu: 'mtu',
  interface: 'interface',
  check: 'check',
  timeout: 'timeout',
  install: 'install',
  userspace: 'userspace'
} as const

export type InputName = (typeof INPUT)[keyof typeof INPUT]

/** The outputs of action.yml, set by main. */
export const OUTPUT = {
  publicKey: 'public-key',
  interface: 'interface',
  address: 'address'
} as const

/** The step state main saves and post reads: the journal of what main made (journal/state.ts). */
export const STATE = {
  journal: 'journal'
} as const
