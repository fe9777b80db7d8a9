// One way of talking to WireGuard, chosen once per interface (as wireguard-tools' ipc.c does):
// wireguard-go's configuration socket when this step may open it (root, userspace), else the `wg`
// command (the kernel, or an unprivileged step that reaches the socket through `sudo wg`). Both
// implement the same operations; a unit test holds them to encoding the same configuration alike.
import type { Origins, Peer as PeerConfig } from '../inputs/tunnel.js'
import type { RunOptions } from '../host/run.js'

/** What configuring an interface needs of the tunnel. */
export interface Configurable {
  privateKey: string
  listenPort?: number
  peers: PeerConfig[]
  /** Where ListenPort and FwMark were written, for an error that names them. */
  origins?: Origins
}

/** Public key (base64) → last handshake, seconds since epoch (0: none yet). */
export type Handshakes = Map<string, number>

export interface Backend {
  /** How this backend reaches the interface, for the log. */
  readonly describe: string
  /** Gives the interface exactly this key and these peers (as `wg setconf`), with `fwmark`. */
  configure(t: Configurable, fwmark: number | undefined): Promise<void>
  /** Changes the fwmark alone (a full tunnel that had to move to another table). */
  setFwmark(fwmark: number): Promise<void>
  /** Each peer's latest handshake. */
  handshakes(): Promise<Handshakes>
  /** Turns keepalive off again on the peers that were probed with one while verifying. */
  restoreKeepalive(t: Configurable): Promise<void>
}

/** What a backend is built from. */
export interface BackendContext {
  iface: string
  /** Options for every command or request: the step's deadline. */
  limits: Pick<RunOptions, 'deadline'>
}
