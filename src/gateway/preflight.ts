// Checks made before anything else, each failing with one line: the Node.js version (the bundle's
// entry makes it before loading the rest, which needs Node 24's node:sqlite) and the privilege to
// change peers. Pure functions of what the process reads about itself; no imports.

/** The Node.js major version the gateway needs: node:sqlite's DatabaseSync without a flag. */
export const NODE_MAJOR = 24

/** One line when `version` (process.versions.node) is older than Node 24; undefined otherwise. */
export function nodeProblem(version: string, execPath: string): string | undefined {
  const major = Number(version.split('.')[0])
  if (Number.isInteger(major) && major >= NODE_MAJOR) return undefined
  return `needs Node.js ${NODE_MAJOR} or later (it uses node:sqlite); ${execPath} is Node.js ${version}. Install Node.js ${NODE_MAJOR} and start the gateway with it (the systemd unit's ExecStart)`
}

/** CAP_NET_ADMIN's bit in the capability sets (linux/capability.h). */
const CAP_NET_ADMIN = 12n

/** True when the `CapEff:` line of /proc/self/status holds CAP_NET_ADMIN. */
export function hasNetAdmin(status: string): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)$/im.exec(status)
  return m ? ((BigInt(`0x${m[1]}`) >> CAP_NET_ADMIN) & 1n) === 1n : false
}

/**
 * One line when the process can change no WireGuard peers: neither root (wireguard-go's socket in
 * /var/run/wireguard is root's) nor holding CAP_NET_ADMIN (a kernel interface). Without them `wg`
 * cannot even see the interface and says it does not exist.
 */
export function privilegeProblem(uid: number, status: string): string | undefined {
  if (uid === 0 || hasNetAdmin(status)) return undefined
  return `needs root (or CAP_NET_ADMIN) to change WireGuard peers: it runs as uid ${uid} without CAP_NET_ADMIN. Start it as root (the systemd unit does)`
}
