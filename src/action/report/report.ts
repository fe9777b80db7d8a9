// What a step tells the person reading the job: the tunnel that came up (log and job summary), or
// why it failed with the interface's state at that moment.
import { errorText } from '../../common/errors.js'
import { prefixText, type Prefix } from '../../common/ip.js'
import { duration, endpointShown } from './messages.js'
import * as core from '../toolkit.js'
import type { CheckResult } from '../verify.js'
import { checkLabel } from '../verify.js'

export interface TunnelUp {
  iface: string
  mode: string
  mtu: number
  addresses: Prefix[]
  peers: { publicKey: string; endpoint?: { host: string; port: number; address?: string } }[]
  publicKey: string
  routes: string[]
  /** Milliseconds to the last handshake; undefined when no peer has an endpoint to await. */
  handshakeMs?: number
  checks: CheckResult[]
  /** Extra rows (the gateway's lease). */
  extra?: [string, string][]
}

/** A table cell: one line, with the characters Markdown and HTML would read escaped. */
const cell = (t: string): string =>
  t
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[|\\]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')

export function report(o: TunnelUp): void {
  const peers = o.peers.map((p) => (p.endpoint ? endpointShown(p.endpoint) : p.publicKey))
  const handshake = o.handshakeMs === undefined ? 'not awaited (no peer has an Endpoint)' : duration(o.handshakeMs)
  const rows: [string, string][] = [
    ['Interface', `${o.iface} (${o.mode}, MTU ${o.mtu})`],
    ['Addresses', o.addresses.map(prefixText).join(', ')],
    ['Peer', peers.join(', ')],
    ['Routes', o.routes.join(', ') || '(the addresses’ own networks)'],
    ['Handshake', handshake],
    ['Public key', o.publicKey],
    ...(o.extra ?? [])
  ]
  for (const c of o.checks) rows.push([checkLabel(c.check), `answered in ${duration(c.ms)}`])
  const head =
    o.handshakeMs === undefined
      ? `WireGuard tunnel ${o.iface} is up (no handshake awaited: no peer has an Endpoint)`
      : `WireGuard tunnel ${o.iface} is up: handshake with ${peers.join(', ')} in ${duration(o.handshakeMs)}`
  core.info(head)
  for (const [k, v] of rows) core.info(`  ${k}: ${v}`)
  const table = rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`)
  core.appendSummary(['### WireGuard tunnel is up', '', '| | |', '|---|---|', ...table, ''].join('\n'))
}

export async function reportFailure(
  iface: string,
  secrets: readonly string[],
  message: string,
  deadline: number
): Promise<void> {
  // Diagnostics are loaded only on failure.
  const { collectDiagnostics } = await import('./diagnostics.js')
  const text = await collectDiagnostics(iface, secrets, deadline).catch(
    (e: unknown) => `diagnostics failed: ${errorText(e)}`
  )
  core.startGroup('WireGuard diagnostics')
  core.info(text)
  core.endGroup()
  // The message may quote a gateway's reason, and the diagnostics what `wg`/`ip` printed: neither
  // may become Markdown (a link, an image) or leave its code block.
  const fence = '`'.repeat(Math.max(3, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length + 1)))
  core.appendSummary(
    `### WireGuard tunnel failed\n\n${markdownText(message)}\n\n<details><summary>Diagnostics</summary>\n\n${fence}\n${text}\n${fence}\n\n</details>\n`
  )
}

/** `text` as literal Markdown text: every character Markdown or HTML could read as markup is escaped. */
export const markdownText = (text: string): string =>
  text
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
