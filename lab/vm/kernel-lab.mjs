// @ts-check
// The namespace lab (lab/lab.mjs) inside the VM lab's guest, with kernel WireGuard on both sides:
// server peers become kernel interfaces (see kernel-peer/wireguard-go), and a few checks tell a
// kernel interface from wireguard-go's.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inRunner } from '../lab.mjs'

/** @import { Lab } from '../network.mjs' */

const HERE = dirname(fileURLToPath(import.meta.url))

/** Makes createLab's server peers kernel interfaces, for this process and its children. */
export function useKernelPeers() {
  process.env.PATH = `${join(HERE, 'kernel-peer')}:${process.env.PATH}`
}

/**
 * Copies these tools into the guest's overlay (touching a file copies it up into the tmpfs), so
 * that the suite keeps them when a test on the host removes them meanwhile (the install test of
 * `npm test` purges wireguard-tools; the guest would see that at once).
 * @param {string[]} commands
 */
export function pinTools(commands) {
  for (const cmd of commands) {
    const path = execFileSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' }).trim()
    execFileSync('touch', ['-c', '-m', path])
  }
}

/** Whether this kernel can make WireGuard interfaces (loaded, or loadable by modprobe). */
export function kernelWireGuardVersion() {
  try {
    return readFileSync('/sys/module/wireguard/version', 'utf8').trim()
  } catch {
    return undefined
  }
}

/**
 * The runner's `ip -d link show` for `iface`: a kernel interface says `wireguard`, wireguard-go's says `tun`.
 * @param {Lab} lab
 * @param {string} iface
 */
export function linkDetails(lab, iface) {
  return inRunner(lab, ['ip', '-d', 'link', 'show', 'dev', iface]).stdout
}

/** Command lines of every wireguard-go process in the guest (the guest runs only this suite). */
export function wireguardGoProcesses() {
  const found = []
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean)
      if (argv.some((a) => a.endsWith('wireguard-go'))) found.push(argv.join(' '))
    } catch {
      /* exited while we looked */
    }
  }
  return found
}
