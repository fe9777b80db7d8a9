// The `wg` command as a backend: the kernel's WireGuard, or wireguard-go from an unprivileged step
// (`sudo wg` reaches its root-only socket). The configuration reaches `wg setconf` through a named
// pipe (0600, in a 0700 folder in RUNNER_TEMP that exists only while `wg` reads it): the key is
// never on a command line and never written to a disk. (Standard input cannot serve: Node's child
// pipes are sockets, which `wg` cannot open as /dev/stdin.)
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Journal } from '../journal/journal.js'
import { prefixText } from '../../common/ip.js'
import { bringUpKeepalive, endpointAddress, probedPeers } from '../host/plan.js'
import { mustRun, type RunResult } from '../host/run.js'
import { sleep } from '../host/probe.js'
import { echo } from '../host/echo.js'
import type { Backend, BackendContext, Configurable, Handshakes } from './backend.js'

/** The `wg setconf` file: the same configuration as uapiSetRequest, in wg's own format. */
export function wgConf(t: Configurable, fwmark: number | undefined): string {
  const lines = ['[Interface]', `PrivateKey = ${t.privateKey}`]
  if (t.listenPort !== undefined) lines.push(`ListenPort = ${t.listenPort}`)
  if (fwmark !== undefined) lines.push(`FwMark = ${fwmark}`)
  for (const peer of t.peers) {
    lines.push('', '[Peer]', `PublicKey = ${peer.publicKey}`)
    if (peer.presharedKey) lines.push(`PresharedKey = ${peer.presharedKey}`)
    if (peer.endpoint) lines.push(`Endpoint = ${endpointAddress(peer.endpoint)}`)
    if (peer.allowedIps.length > 0) lines.push(`AllowedIPs = ${peer.allowedIps.map(prefixText).join(', ')}`)
    const keepalive = bringUpKeepalive(peer)
    if (keepalive > 0) lines.push(`PersistentKeepalive = ${keepalive}`)
  }
  return `${lines.join('\n')}\n`
}

/** `wg` arguments that put back keepalive off on the peers that were probed, or none. */
export function keepaliveRestore(iface: string, t: Configurable): string[] | undefined {
  const probed = probedPeers(t.peers)
  if (probed.length === 0) return undefined
  return ['set', iface, ...probed.flatMap((p) => ['peer', p.publicKey, 'persistent-keepalive', 'off'])]
}

/** `wg show IFACE latest-handshakes` output into public key → seconds since epoch (0: none yet). */
export function parseHandshakes(text: string): Handshakes {
  const out: Handshakes = new Map()
  for (const line of text.split('\n')) {
    const [key, when] = line.trim().split(/\s+/)
    if (key && when && /^[0-9]+$/.test(when)) out.set(key, Number(when))
  }
  return out
}

/**
 * Writes `text` into the named pipe once `wg` opens it for reading: opened without blocking (a
 * `wg` that failed before opening it must not leave this step waiting), polled until it is.
 */
async function feed(fifo: string, text: string, reader: Promise<RunResult>): Promise<void> {
  // Set once `wg` has exited (an object: it changes in a callback).
  const wgExited = { done: false }
  void reader.then(
    () => (wgExited.done = true),
    () => (wgExited.done = true)
  )
  for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
    let fd: number
    try {
      fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)
    } catch (err) {
      // ENXIO: no reader yet.
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO' || wgExited.done) return
      await sleep(wait)
      continue
    }
    try {
      const data = Buffer.from(text)
      // A pipe takes 64 KiB at once; a configuration is far smaller, but a full pipe is waited out.
      for (let at = 0; at < data.length;) {
        try {
          at += writeSync(fd, data, at)
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || wgExited.done) throw err
          await sleep(1)
        }
      }
    } finally {
      closeSync(fd)
    }
    return
  }
}

export function wgBackend(ctx: BackendContext & { wg: string; journal: Journal }): Backend {
  const { iface, wg, journal } = ctx
  const opts = { root: true, ...ctx.limits }
  return {
    describe: '`wg`',
    async configure(t, fwmark) {
      const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'wireguard-tunnel-'))
      const record = journal.add({ kind: 'file', path: dir })
      try {
        const fifo = join(dir, `${iface}.conf`)
        await mustRun(['mkfifo', '-m', '600', fifo], ctx.limits)
        echo([wg, 'setconf', iface, fifo])
        const reading = mustRun([wg, 'setconf', iface, fifo], opts)
        await Promise.all([reading, feed(fifo, wgConf(t, fwmark), reading)])
      } finally {
        rmSync(dir, { recursive: true, force: true })
        journal.remove(record)
      }
    },
    async setFwmark(fwmark) {
      const argv = [wg, 'set', iface, 'fwmark', String(fwmark)]
      echo(argv)
      await mustRun(argv, opts)
    },
    // Read with a limit of its own, so that the last read at the deadline still reports what it saw.
    handshakes: async () =>
      parseHandshakes(
        (await mustRun([wg, 'show', iface, 'latest-handshakes'], { root: true, timeoutMs: 5000 })).stdout
      ),
    async restoreKeepalive(t) {
      const args = keepaliveRestore(iface, t)
      if (!args) return
      echo([wg, ...args])
      await mustRun([wg, ...args], opts)
    }
  }
}
