// The main step: validate, install what is missing, bring the interface up, prove it carries
// traffic, and on any failure roll back everything it created.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from './toolkit.js'
import { buildFlatConfig as buildConfig, InputError, secretsToMask, type FlatConfig as Config } from './config.js'
import { maxBits, prefixText } from './ip.js'
import { dnsManager, dnsUp, readInterfaceOrder, resolvconfName } from './dns.js'
import {
  autoMtu,
  endpointText,
  isFullTunnel,
  keepaliveRestore,
  pickTable,
  routeText,
  routingPlan,
  ruleLines,
  upBatch,
  wgConf,
  type RoutingPlan
} from './plan.js'
import { CommandError, commandLine, isRoot, mustRun, run } from './run.js'
import { saveCreated, SRC_VALID_MARK, type Created } from './state.js'
import { deviceMtu, findWireguardGo, kernelHasWireguard, linkExists, socketPath } from './system.js'
import { teardown } from './teardown.js'
import { ensureTools } from './tools.js'
import { parseUapiHandshakes, uapi, uapiKeepaliveRestore, uapiSetRequest } from './uapi.js'
import { checkLabel, runCheck, waitForHandshakes, wgHandshakes, type CheckResult } from './verify.js'

/** Milliseconds as a person reads them: `12 ms`, `1.4 s`. */
export const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`)

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err))

const getInput = (name: string): string => core.getInput(name)

/** A debug line with the time since the process started, for reading where the step spends it. */
const mark = (what: string): void => core.debug(`${what} at ${Math.round(performance.now())} ms`)

/** Masks every secret input before anything can log it; returns the strings masked. */
function maskSecrets(): string[] {
  const secrets = secretsToMask(getInput)
  for (const s of secrets) core.setSecret(s)
  return secrets
}

/** Resolves each endpoint host name once (IP literals stay as they are), within the timeout. */
async function resolveEndpoints(cfg: Config): Promise<Map<string, string>> {
  const resolved = new Map<string, string>()
  for (const peer of cfg.peers) {
    const host = peer.endpoint?.host
    if (host === undefined || resolved.has(host)) continue
    if (/^[0-9.]+$/.test(host) || host.includes(':')) {
      resolved.set(host, host)
      continue
    }
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${cfg.timeoutMs / 1000} s`)), cfg.timeoutMs)
    })
    try {
      const { lookup } = await import('node:dns/promises')
      const { address } = await Promise.race([lookup(host), timeout])
      resolved.set(host, address)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      throw new InputError(
        'endpoint',
        `host name "${host}" does not resolve (${code ?? errorText(err)}): check its spelling and that the runner's DNS knows it`
      )
    } finally {
      clearTimeout(timer)
    }
  }
  return resolved
}

/** wg-quick's automatic MTU: from the routes towards the endpoints, else the default route. */
async function chooseMtu(cfg: Config, ip: string, resolved: Map<string, string>): Promise<number> {
  if (cfg.mtu !== undefined) return cfg.mtu
  const fromRoute = (text: string): number => {
    const mtu = /\bmtu ([0-9]+)/.exec(text)
    if (mtu) return Number(mtu[1])
    const dev = /\bdev (\S+)/.exec(text)
    return dev ? deviceMtu(dev[1] as string) : 0
  }
  const hosts = [
    ...new Set(cfg.peers.flatMap((p) => (p.endpoint ? [resolved.get(p.endpoint.host) ?? p.endpoint.host] : [])))
  ]
  const mtus = await Promise.all(hosts.map(async (h) => fromRoute((await run([ip, 'route', 'get', h])).stdout)))
  if (mtus.some((m) => m > 0)) return autoMtu(mtus)
  const def = (await run([ip, 'route', 'show', 'default'])).stdout.split('\n')[0] ?? ''
  return autoMtu([fromRoute(def)])
}

interface Tools {
  wg: string
  ip: string
  /** Found up front when the kernel has no WireGuard (or userspace is asked for). */
  'wireguard-go'?: string
}

/** Whether to go straight to wireguard-go: asked for, or the kernel has no WireGuard. */
const userspaceFirst = (cfg: Config): boolean =>
  cfg.userspace === 'true' || (cfg.userspace === 'auto' && !kernelHasWireguard())

/** Creates the interface: the kernel's WireGuard when it has one, else wireguard-go. */
async function createInterface(cfg: Config, tools: Tools, created: Created): Promise<void> {
  if (!userspaceFirst(cfg)) {
    const argv = [tools.ip, 'link', 'add', 'dev', cfg.iface, 'type', 'wireguard']
    const r = await run(argv, { root: true })
    if (r.code === 0) return
    if (!isRoot() && /^sudo: /m.test(r.stderr)) throw new CommandError(commandLine(argv, { root: true }, false), r)
    const noKernel = /Unknown device type|not supported/i.test(r.stderr)
    if (!noKernel || cfg.userspace === 'false') {
      const why = noKernel
        ? 'this kernel has no WireGuard module and userspace is false (set userspace: auto to use wireguard-go)'
        : explainCreateFailure(r.stderr)
      throw new Error(`could not create interface ${cfg.iface}: ${why}`)
    }
    core.info('The kernel has no WireGuard module; using wireguard-go')
  }
  const wgGo = tools['wireguard-go'] ?? (await ensureTools(['wireguard-go'], cfg.install))['wireguard-go']
  created.userspace = true
  saveCreated(created)
  // Without -f, wireguard-go forks a daemon that outlives this step and returns once the interface exists.
  const r = await mustRun(
    [wgGo, cfg.iface],
    { root: true },
    (said) => new Error(`could not start wireguard-go for ${cfg.iface}: ${explainCreateFailure(said)}`)
  )
  startedPid = r.pid
}

/** What stopped an interface from being made, with the fix for the usual causes (job containers). */
export function explainCreateFailure(said: string): string {
  const text =
    said
      .split('\n')
      .filter((l) => l.trim() !== '' && !/[│┌└]/.test(l))
      .map((l) => l.replace(/^[A-Z]+: \(\S+\) [0-9/]+ [0-9:]+ /, '').trim())
      .join(' ') || 'no reason given'
  if (/Operation not permitted|permission denied/i.test(said)) {
    return `${text}: this step may not create network interfaces (CAP_NET_ADMIN); in a job container, add options: --cap-add=NET_ADMIN --device=/dev/net/tun`
  }
  if (/\/dev\/net\/tun|TUN device/i.test(said))
    return `${text}: wireguard-go needs /dev/net/tun; in a job container, add options: --device=/dev/net/tun --cap-add=NET_ADMIN`
  return text
}

/** The pid of the process that started wireguard-go: its daemon comes right after it. */
let startedPid: number | undefined

/** Records the wireguard-go process for post (which can also find it without this record). */
function recordPid(cfg: Config, created: Created): void {
  if (!created.userspace) return
  created.pid = findWireguardGo(cfg.iface, startedPid)
  saveCreated(created)
}

/** Speaking UAPI to wireguard-go needs its root-only socket. */
const viaUapi = (created: Created): boolean => created.userspace && isRoot()

/**
 * Gives the interface its key and peers: over wireguard-go's socket when root, else with
 * `wg setconf` from a 0600 file that exists only while `wg` reads it.
 */
async function configurePeers(
  cfg: Config,
  wg: string,
  resolved: Map<string, string>,
  fwmark: number | undefined,
  created: Created
): Promise<void> {
  if (viaUapi(created)) {
    await uapi(socketPath(cfg.iface), uapiSetRequest(cfg, resolved, fwmark))
    return
  }
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'wireguard-tunnel-'))
  const file = join(dir, `${cfg.iface}.conf`)
  created.files.push(dir)
  saveCreated(created)
  try {
    writeFileSync(file, wgConf(cfg, resolved, fwmark), { mode: 0o600, flag: 'wx' })
    await mustRun([wg, 'setconf', cfg.iface, file], { root: true })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function handshakeFailure(cfg: Config, missing: string[], resolved: Map<string, string>): string {
  const peer = cfg.peers.find((p) => p.publicKey === missing[0])
  const ep = peer?.endpoint
  const at = ep ? endpointText(resolved.get(ep.host) ?? ep.host, ep.port) : 'its endpoint'
  const named = ep && resolved.get(ep.host) !== ep.host ? ` (${endpointText(ep.host, ep.port)})` : ''
  const addresses = cfg.addresses.map((a) => prefixText({ ...a, bits: maxBits(a.family) })).join(',')
  return (
    `No handshake with peer ${missing[0]} at ${at}${named} within ${cfg.timeoutMs / 1000} s. Likely causes: ` +
    `the server does not know this runner's public key ${cfg.publicKey} (on the server: wg set <interface> peer ${cfg.publicKey} allowed-ips ${addresses}); ` +
    `UDP to ${at} is blocked or nothing listens there; peer-public-key is not the server's key.`
  )
}

function checkFailure(cfg: Config, failed: CheckResult): string {
  return (
    `The tunnel is up but ${checkLabel(failed.check)} did not answer within ${cfg.timeoutMs / 1000} s (last error: ${failed.reason}). ` +
    `Likely causes: allowed-ips does not cover that address; the server does not forward or route traffic from ${cfg.addresses.map((a) => a.address).join(', ')}; the service is down or filtered.`
  )
}

interface Outcome {
  mode: string
  mtu: number
  routes: string[]
  handshakeMs: number
  checks: CheckResult[]
}

/** The routing plan; a full tunnel's table is its FwMark, else the first free table from 51820. */
async function planRouting(cfg: Config, ip: string): Promise<RoutingPlan> {
  if (!isFullTunnel(cfg)) return routingPlan(cfg, 0)
  if (cfg.fwmark !== undefined) return routingPlan(cfg, cfg.fwmark)
  const shown = await Promise.all(['-4', '-6'].map((f) => run([ip, f, 'route', 'show', 'table', 'all'])))
  const used = new Set(
    [
      ...shown
        .map((r) => r.stdout)
        .join('\n')
        .matchAll(/\btable ([0-9]+)/g)
    ].map((m) => Number(m[1]))
  )
  return routingPlan(cfg, pickTable(used))
}

/** Sets net.ipv4.conf.all.src_valid_mark=1 for an IPv4 full tunnel, recording what it was. */
async function enableSrcValidMark(created: Created): Promise<void> {
  const was = readFileSync('/proc/sys/net/ipv4/conf/all/src_valid_mark', 'utf8').trim()
  if (was === '1') return
  created.sysctl = { key: SRC_VALID_MARK, was }
  saveCreated(created)
  await mustRun(['sysctl', '-q', '-w', `${SRC_VALID_MARK}=1`], { root: true })
}

/** Applies DNS servers and search domains; warns when the system has no way to. */
async function applyDns(cfg: Config, created: Created): Promise<void> {
  if (cfg.dns.length === 0) return
  const manager = dnsManager()
  if (!manager) {
    core.warning(
      `DNS servers ${cfg.dns.join(', ')} were not applied: this runner has neither systemd-resolved (resolvectl) nor resolvconf`
    )
    return
  }
  const name = manager === 'resolvconf' ? resolvconfName(cfg.iface, readInterfaceOrder()) : cfg.iface
  created.dns = { manager, name }
  saveCreated(created)
  for (const c of dnsUp(cfg, manager, name)) await mustRun(c.argv, { root: true, input: c.input })
}

/** Turns keepalive off again on the peers that were probed with one. */
async function restoreKeepalive(cfg: Config, tools: Tools, created: Created): Promise<void> {
  if (viaUapi(created)) {
    const request = uapiKeepaliveRestore(cfg)
    if (request) await uapi(socketPath(cfg.iface), request)
    return
  }
  const restore = keepaliveRestore(cfg)
  if (restore) await mustRun([tools.wg, ...restore], { root: true })
}

async function bringUp(cfg: Config, tools: Tools, resolved: Map<string, string>, created: Created): Promise<Outcome> {
  const deadline = Date.now() + cfg.timeoutMs
  // The MTU and routing look-ups read the system only: they run while the interface is made
  // (started first: wireguard-go takes longest).
  const made = createInterface(cfg, tools, created)
  const [, mtu, plan] = await Promise.all([made, chooseMtu(cfg, tools.ip, resolved), planRouting(cfg, tools.ip)])
  mark('interface created')
  await configurePeers(cfg, tools.wg, resolved, plan.fwmark ?? cfg.fwmark, created)
  created.routes = plan.routes.map(routeText)
  created.rules = plan.rules
  saveCreated(created)
  if (plan.srcValidMark) await enableSrcValidMark(created)
  await mustRun([tools.ip, '-batch', '-'], { root: true, input: upBatch(cfg, mtu, plan) })
  const rules6 = ruleLines(plan.rules, '-6', 'add')
  if (rules6.length > 0) await mustRun([tools.ip, '-6', '-batch', '-'], { root: true, input: `${rules6.join('\n')}\n` })
  await applyDns(cfg, created)
  mark('link up')
  const upAt = Date.now()
  const read = viaUapi(created)
    ? async () => parseUapiHandshakes(await uapi(socketPath(cfg.iface), 'get=1\n\n'))
    : wgHandshakes(cfg, tools.wg)
  const missing = await waitForHandshakes(cfg, read, deadline)
  if (missing.length > 0) throw new Error(handshakeFailure(cfg, missing, resolved))
  const handshakeMs = Date.now() - upAt
  mark('handshake')
  const [checks] = await Promise.all([
    Promise.all(cfg.checks.map((c) => runCheck(c, deadline))),
    restoreKeepalive(cfg, tools, created)
  ])
  mark('checks')
  recordPid(cfg, created)
  const failed = checks.find((c) => !c.ok)
  if (failed) throw new Error(checkFailure(cfg, failed))
  return {
    mode: created.userspace ? 'userspace (wireguard-go)' : 'kernel',
    mtu,
    routes: created.routes,
    handshakeMs,
    checks
  }
}

function report(cfg: Config, resolved: Map<string, string>, o: Outcome): void {
  const peers = cfg.peers.map((p) =>
    p.endpoint
      ? `${endpointText(p.endpoint.host, p.endpoint.port)}${resolved.get(p.endpoint.host) !== p.endpoint.host ? ` (${resolved.get(p.endpoint.host)})` : ''}`
      : p.publicKey
  )
  const rows: [string, string][] = [
    ['Interface', `${cfg.iface} (${o.mode}, MTU ${o.mtu})`],
    ['Addresses', cfg.addresses.map(prefixText).join(', ')],
    ['Peer', peers.join(', ')],
    ['Routes', o.routes.join(', ') || '(the addresses’ own networks)'],
    ['Handshake', duration(o.handshakeMs)],
    ['Public key', cfg.publicKey]
  ]
  for (const c of o.checks) rows.push([checkLabel(c.check), `answered in ${duration(c.ms)}`])
  core.info(`WireGuard tunnel ${cfg.iface} is up: handshake with ${peers.join(', ')} in ${duration(o.handshakeMs)}`)
  for (const [k, v] of rows) core.info(`  ${k}: ${v}`)
  const cell = (t: string): string => t.replace(/[|\\]/g, (c) => `\\${c}`)
  core.appendSummary(
    [
      '### WireGuard tunnel is up',
      '',
      '| | |',
      '|---|---|',
      ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
      ''
    ].join('\n')
  )
}

async function reportFailure(iface: string, secrets: string[], message: string): Promise<void> {
  // Diagnostics are loaded only on failure.
  const { collectDiagnostics } = await import('./diagnostics.js')
  const text = await collectDiagnostics(iface, secrets).catch((e: unknown) => `diagnostics failed: ${errorText(e)}`)
  core.startGroup('WireGuard diagnostics')
  core.info(text)
  core.endGroup()
  core.appendSummary(
    `### WireGuard tunnel failed\n\n${message}\n\n<details><summary>Diagnostics</summary>\n\n\`\`\`\n${text}\n\`\`\`\n\n</details>\n`
  )
}

export async function runMain(): Promise<void> {
  let created: Created | undefined
  let secrets: string[] = []
  try {
    secrets = maskSecrets()
    const cfg = buildConfig(getInput)
    core.setOutput('public-key', cfg.publicKey)
    core.setOutput('interface', cfg.iface)
    mark('inputs valid')
    const resolved = await resolveEndpoints(cfg)
    // One apt transaction for everything missing, wireguard-go included when it will be needed.
    const tools = await ensureTools(
      userspaceFirst(cfg) ? (['wg', 'ip', 'wireguard-go'] as const) : (['wg', 'ip'] as const),
      cfg.install
    )
    if (linkExists(cfg.iface)) {
      throw new Error(
        `interface ${cfg.iface} already exists; it was left untouched. If an earlier job left it behind, remove it with \`sudo ip link delete ${cfg.iface}\`, or choose another name with the interface input`
      )
    }
    created = { iface: cfg.iface, userspace: false, routes: [], rules: [], files: [] }
    saveCreated(created)
    const outcome = await bringUp(cfg, tools, resolved, created)
    report(cfg, resolved, outcome)
    mark('main done')
  } catch (err) {
    const message = errorText(err)
    if (created) {
      if (linkExists(created.iface)) await reportFailure(created.iface, secrets, message)
      const undone = await teardown(created)
      for (const w of undone.warnings) core.warning(`rollback: ${w}`)
      saveCreated(undefined)
    }
    core.setFailed(message)
  }
}
