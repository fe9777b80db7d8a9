// The gateway's configuration: YAML in, one typed and validated object out. Every error names the key
// (and its line), never more of a value than the user must see to fix it. Pure but for reading the file.
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node, type Document } from 'yaml'
import { interfaceProblem, isLoopback, parseHostPort } from '../common/grammar.js'
import { contains, network, parseAddress, parsePrefix, prefixText, type Prefix } from '../common/ip.js'
import { defaultQuota, RUN_QUOTA } from './limits/quota.js'
import { isPostgresUrl, postgresUrlProblem } from './leases/postgres.js'

/** Who may lease: a token passes when it matches every claim of one rule (see auth/policy.ts). */
export interface AccessRule {
  /** Claim name → exact value, or a prefix when the value ends with `*`. */
  claims: Record<string, string>
  /** What runners matched by this rule route through the tunnel (within the top-level allowed-ips). */
  allowedIps?: Prefix[]
  /** Whether its leases may reach other leases' addresses (the firewall drops that by default). */
  reachLeases: boolean
  /** Live leases at most, per repository and per run, for tokens this rule admits. */
  quota: Quota
}

/** Concurrent live leases at most (see ./limits/quota.ts). */
export interface Quota {
  /** Of one repository (by id), whichever rules granted them. */
  repository: number
  /** Of one workflow run (repository id and run id). */
  run: number
}

export interface GatewayConfig {
  listen: { host: string; port: number }
  tls?: { cert: string; key: string }
  insecureHttp: boolean
  interface: string
  endpoint: string
  pool: Prefix[]
  allowedIps: Prefix[]
  dns: string[]
  issuer: string
  audience: string
  leaseTtlMs: number
  /**
   * A lease ends when nothing was heard from its peer for this long (liveness.ts): at least three
   * keepalives, so that silence cannot end a live job.
   */
  silenceMs: number
  sweepIntervalMs: number
  /** Seconds, 1 or more: handed to runners, whose keepalives are how the gateway hears them. */
  persistentKeepalive: number
  /**
   * The SQLite file (by default one per interface, so two gateways never share one), or a
   * postgres:// / postgresql:// URL without a password (a fleet's shared database).
   */
  state: string
  /** The gateway's name in a fleet (`leases list`, logs); default HOSTNAME/INTERFACE. */
  name: string
  /** Leases per repository per minute (a bucket that holds this many and refills over a minute). */
  rateLimit: number
  /** Open connections one client (an IPv4 address, an IPv6 /64) may hold; more are closed at once. */
  connectionsPerAddress: number
  /** Refused requests a minute one client may make; past that it is answered 429 unread. */
  refusalsPerAddress: number
  /** The default quota of rules that set none. */
  quota: Quota
  /** `nftables`: the gateway's own table enforces each rule's allowed-ips; `none`: they are advice. */
  firewall: 'nftables' | 'none'
  /** Where Prometheus metrics are served (plain HTTP, GET /metrics); off when undefined. */
  metrics?: { host: string; port: number }
  /** The operators' unix socket (root only), for `leases list|show|revoke`, `drain`, `undrain`. */
  controlSocket: string
  rules: AccessRule[]
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

const KEYS = [
  'listen',
  'tls',
  'insecure-http',
  'interface',
  'endpoint',
  'pool',
  'allowed-ips',
  'dns',
  'issuer',
  'audience',
  'lease-ttl',
  'silence',
  'sweep-interval',
  'persistent-keepalive',
  'state',
  'name',
  'rate-limit',
  'connections-per-address',
  'refusals-per-address',
  'quota',
  'firewall',
  'metrics',
  'control-socket',
  'rules'
]

/** Claims that name an owner or repository by id: every rule must pin one of them (names can change hands). */
const ID_CLAIMS = ['repository_owner_id', 'repository_id']

/** Where the store is kept unless `state` says: one file per interface, so two gateways never share one. */
export function defaultState(iface: string): string {
  return `/var/lib/wireguard-gateway/${iface}.db`
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `90s`, `5m`, `6h`, `1d`, `500ms` → milliseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  const m = /^([0-9]{1,9})(ms|s|m|h|d)$/.exec(text)
  return m ? Number(m[1]) * (UNITS[m[2] as string] as number) : undefined
}

/** Reads and validates the file; throws a ConfigError naming the file, the key and the line. */
export function loadConfig(path: string): GatewayConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError(
      `cannot read the configuration ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`
    )
  }
  return parseConfig(text, path)
}

export function parseConfig(text: string, source = 'gateway.yml'): GatewayConfig {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    const at = e?.linePos?.[0]
    throw new ConfigError(`${source}${at ? ` line ${at.line}` : ''}: not valid YAML (${e?.code ?? 'syntax'})`)
  }
  return new Reader(doc, lines, source).config()
}

type Path = (string | number)[]

const keyText = (path: Path): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')

class Reader {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly source: string
  ) {}

  private fail(path: Path, why: string): never {
    const node = path.length ? (this.doc.getIn(path, true) as Node | undefined) : undefined
    const line = node?.range ? ` (line ${this.lines.linePos(node.range[0]).line})` : ''
    throw new ConfigError(`${this.source}: "${keyText(path)}"${line} ${why}`)
  }

  private node(path: Path): Node | undefined {
    return this.doc.getIn(path, true) as Node | undefined
  }

  private has(path: Path): boolean {
    const n = this.node(path)
    return n !== undefined && !(isScalar(n) && n.value === null)
  }

  private string(path: Path, dflt?: string): string {
    if (!this.has(path)) {
      if (dflt !== undefined) return dflt
      this.fail(path, 'is required')
    }
    const n = this.node(path)
    if (!isScalar(n) || (typeof n.value !== 'string' && typeof n.value !== 'number'))
      this.fail(path, 'must be a string')
    const v = String(n.value).trim()
    if (v === '') this.fail(path, 'must not be empty')
    return v
  }

  private list(path: Path, dflt: string[]): string[] {
    if (!this.has(path)) return dflt
    const n = this.node(path)
    if (isScalar(n) && typeof n.value === 'string') return [this.string(path)]
    if (!isSeq(n)) this.fail(path, 'must be a list')
    return n.items.map((_, i) => this.string([...path, i]))
  }

  private duration(path: Path, dflt: string, minMs: number, maxMs: number): number {
    const v = this.string(path, dflt)
    const ms = parseDuration(v)
    if (ms === undefined) this.fail(path, 'must be a duration such as 30s, 5m or 6h')
    if (ms < minMs || ms > maxMs) this.fail(path, `must be between ${minMs} ms and ${maxMs / 3_600_000} h`)
    return ms
  }

  /** A whole number from `min` to `max`; `why` says why the range is what it is. */
  private integer(path: Path, dflt: number, min: number, max: number, why?: string): number {
    if (!this.has(path)) return dflt
    const n = this.node(path)
    if (!isScalar(n) || typeof n.value !== 'number' || !Number.isInteger(n.value))
      this.fail(path, 'must be a whole number')
    if (n.value < min || n.value > max) this.fail(path, `must be ${min} to ${max}${why ? `: ${why}` : ''}`)
    return n.value
  }

  private boolean(path: Path, dflt: boolean): boolean {
    if (!this.has(path)) return dflt
    const n = this.node(path)
    if (!isScalar(n) || typeof n.value !== 'boolean') this.fail(path, 'must be true or false')
    return n.value
  }

  private mapKeys(path: Path, allowed?: string[]): string[] {
    const n = path.length ? this.node(path) : this.doc.contents
    if (!isMap(n)) {
      if (path.length === 0) throw new ConfigError(`${this.source}: must be a mapping of keys (listen, interface, …)`)
      this.fail(path, 'must be a mapping')
    }
    const keys = n.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''))
    if (allowed) {
      const unknown = keys.find((k) => !allowed.includes(k))
      if (unknown !== undefined) this.fail([...path, unknown], `is not a known key (known: ${allowed.join(', ')})`)
    }
    return keys
  }

  private prefixes(path: Path, dflt?: Prefix[], aligned = false): Prefix[] {
    if (!this.has(path) && dflt) return dflt
    const items = this.list(path, [])
    if (items.length === 0) this.fail(path, 'must list at least one prefix')
    return items.map((text, i) => {
      const p = parsePrefix(text)
      if (typeof p === 'string') this.fail([...path, i], `is not a prefix: ${p}`)
      if (aligned && network(p).address !== p.address)
        this.fail([...path, i], `has host bits set; the network is ${prefixText(network(p))}`)
      return network(p)
    })
  }

  config(): GatewayConfig {
    this.mapKeys([], KEYS)
    const listen = this.listen()
    const insecureHttp = this.boolean(['insecure-http'], false)
    let tls: GatewayConfig['tls']
    if (this.has(['tls'])) {
      this.mapKeys(['tls'], ['cert', 'key'])
      tls = { cert: this.string(['tls', 'cert']), key: this.string(['tls', 'key']) }
    } else if (!insecureHttp && !isLoopback(listen.host)) {
      this.fail(
        ['tls'],
        `is required when listening on ${listen.host}: tokens are bearer credentials. Give tls.cert and tls.key, listen on a loopback address behind a TLS proxy, or set insecure-http: true`
      )
    }
    const iface = this.string(['interface'])
    const ifaceProblem = interfaceProblem(iface)
    if (ifaceProblem !== undefined) this.fail(['interface'], ifaceProblem)
    const endpoint = this.endpoint()
    const pool = this.pool()
    const allowedIps = this.prefixes(['allowed-ips'], pool)
    const dns = this.list(['dns'], []).map((d, i) => {
      if (!parseAddress(d)) this.fail(['dns', i], 'must be an IP address')
      return d
    })
    const issuer = this.issuer()
    const audience = this.string(['audience'])
    const leaseTtlMs = this.duration(['lease-ttl'], '6h', 1000, 7 * 86_400_000)
    const silenceMs = this.duration(['silence'], '5m', 1000, 86_400_000)
    const sweepIntervalMs = this.duration(['sweep-interval'], '15s', 100, 60_000)
    // The gateway hears a live runner by its keepalives: they cannot be off, and silence must span
    // several of them (one lost UDP packet is not a dead runner).
    const persistentKeepalive = this.integer(
      ['persistent-keepalive'],
      25,
      1,
      65535,
      'keepalives are how the gateway hears that a runner is alive (silence)'
    )
    if (silenceMs < 3 * persistentKeepalive * 1000)
      this.fail(
        ['silence'],
        `must be at least three keepalives (3 × persistent-keepalive = ${3 * persistentKeepalive}s): a live runner is heard only every persistent-keepalive seconds`
      )
    const quota = this.quota(['quota'], defaultQuota(pool), RUN_QUOTA)
    const firewall = this.string(['firewall'], 'nftables')
    if (firewall !== 'nftables' && firewall !== 'none')
      this.fail(['firewall'], "must be nftables (enforce each rule's allowed-ips) or none")
    const controlSocket = this.string(['control-socket'], `/run/wireguard-gateway/${iface}.sock`)
    if (!controlSocket.startsWith('/') || Buffer.byteLength(controlSocket) > 100)
      this.fail(['control-socket'], 'must be an absolute path of at most 100 bytes (a unix socket)')
    return {
      listen,
      tls,
      insecureHttp,
      interface: iface,
      endpoint,
      pool,
      allowedIps,
      dns,
      issuer,
      audience,
      leaseTtlMs,
      silenceMs,
      sweepIntervalMs,
      persistentKeepalive,
      state: this.state(iface),
      name: this.string(['name'], `${hostname()}/${iface}`),
      rateLimit: this.integer(['rate-limit'], 300, 1, 1_000_000),
      connectionsPerAddress: this.integer(['connections-per-address'], 32, 1, 2048),
      refusalsPerAddress: this.integer(['refusals-per-address'], 60, 1, 1_000_000),
      quota,
      firewall,
      metrics: this.has(['metrics']) ? this.address(['metrics'], '127.0.0.1:9108') : undefined,
      controlSocket,
      rules: this.rules(allowedIps, quota)
    }
  }

  /** A SQLite path, or a PostgreSQL URL that holds no password (it belongs in PGPASSWORD or PGPASSFILE). */
  private state(iface: string): string {
    const state = this.string(['state'], defaultState(iface))
    if (isPostgresUrl(state)) {
      const problem = postgresUrlProblem(state)
      if (problem) this.fail(['state'], problem)
    }
    return state
  }

  private listen(): GatewayConfig['listen'] {
    return this.address(['listen'], '0.0.0.0:8443')
  }

  /** An ADDRESS:PORT to listen on (an IPv6 address in brackets, port 1 to 65535), in the shared grammar. */
  private address(path: Path, dflt: string): { host: string; port: number } {
    const hp = parseHostPort(this.string(path, dflt))
    if (!hp || 'problem' in hp || !parseAddress(hp.host))
      this.fail(path, `must be ADDRESS:PORT, e.g. ${dflt} or [::1]:${dflt.split(':').pop()} (port 1 to 65535)`)
    return hp
  }

  /**
   * The endpoint runners are given, in the grammar the action reads a lease's endpoint with (its
   * strict form: an IPv6 address in brackets), so that no lease carries one the action refuses.
   */
  private endpoint(): string {
    const text = this.string(['endpoint'])
    const hp = parseHostPort(text)
    if (!hp) this.fail(['endpoint'], 'must be HOST:PORT (a name or address that runners can reach, [IPv6]:PORT)')
    if ('problem' in hp)
      this.fail(
        ['endpoint'],
        {
          brackets: 'must be HOST:PORT: only an IPv6 address goes in brackets',
          host: 'must be HOST:PORT: the host is not a valid host name or IP address',
          port: 'must be HOST:PORT with a port from 1 to 65535'
        }[hp.problem]
      )
    return text
  }

  /**
   * `{ repository: N, run: N }`, a missing part from `dflt`; a run's quota is at most its repository's
   * (a run's default is `dflt.run` or, at the top level, RUN_QUOTA, cut to the repository's).
   */
  private quota(path: Path, dflt: Quota, runDefault = dflt.run): Quota {
    if (!this.has(path)) return dflt
    this.mapKeys(path, ['repository', 'run'])
    const repository = this.integer([...path, 'repository'], dflt.repository, 1, 1_000_000)
    const run = this.integer([...path, 'run'], Math.min(runDefault, repository), 1, 1_000_000)
    if (run > repository) this.fail([...path, 'run'], `must be at most the repository's quota (${repository})`)
    return { repository, run }
  }

  private pool(): Prefix[] {
    const pool = this.prefixes(['pool'], undefined, true)
    const seen = new Set<number>()
    pool.forEach((p, i) => {
      if (seen.has(p.family))
        this.fail(['pool', i], `is a second IPv${p.family} prefix; give one IPv4 and one IPv6 prefix at most`)
      seen.add(p.family)
      if (p.bits > (p.family === 4 ? 30 : 126))
        this.fail(['pool', i], 'is too small to lease from (at most /30 or /126)')
    })
    return pool
  }

  private issuer(): string {
    const text = this.string(['issuer'], 'https://token.actions.githubusercontent.com')
    let url: URL
    try {
      url = new URL(text)
    } catch {
      this.fail(['issuer'], 'must be a URL such as https://token.actions.githubusercontent.com')
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname))
      this.fail(['issuer'], 'must be https:// (http:// only on a loopback address, for tests)')
    if (url.protocol !== 'https:' && url.protocol !== 'http:') this.fail(['issuer'], 'must be an https:// URL')
    if (url.search || url.hash || url.username || url.password)
      this.fail(['issuer'], 'must be a plain URL (no query, fragment or credentials)')
    // jose compares a token's `iss` with this exactly, and GitHub's has no trailing slash.
    if (text.endsWith('/'))
      this.fail(
        ['issuer'],
        `must not end with "/": a token's iss is compared exactly, and GitHub's is https://token.actions.githubusercontent.com (GHES: https://HOST/_services/token); give ${text.replace(/\/+$/, '')}`
      )
    return text
  }

  private rules(allowedIps: Prefix[], quota: Quota): AccessRule[] {
    if (!this.has(['rules'])) return []
    const n = this.node(['rules'])
    if (!isSeq(n)) this.fail(['rules'], 'must be a list of rules')
    return n.items.map((_, i) => {
      const path = ['rules', i]
      this.mapKeys(path, ['claims', 'allowed-ips', 'reach-leases', 'quota'])
      const claimKeys = this.mapKeys([...path, 'claims'])
      if (claimKeys.length === 0) this.fail([...path, 'claims'], 'must name at least one claim')
      const claims: Record<string, string> = {}
      for (const k of claimKeys) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) this.fail([...path, 'claims', k], 'is not a claim name')
        const v = this.string([...path, 'claims', k])
        if (v.indexOf('*') >= 0 && v.indexOf('*') !== v.length - 1)
          this.fail([...path, 'claims', k], 'may hold `*` only at the end (a prefix)')
        claims[k] = v
      }
      if (!ID_CLAIMS.some((k) => claims[k] !== undefined && !claims[k].endsWith('*')))
        this.fail(
          [...path, 'claims'],
          'must pin repository_owner_id or repository_id exactly: names can be renamed and registered again by someone else'
        )
      const rule: AccessRule = {
        claims,
        reachLeases: this.boolean([...path, 'reach-leases'], false),
        quota: this.quota([...path, 'quota'], quota)
      }
      if (this.has([...path, 'allowed-ips'])) {
        rule.allowedIps = this.prefixes([...path, 'allowed-ips'])
        rule.allowedIps.forEach((p, j) => {
          if (!allowedIps.some((outer) => contains(outer, p)))
            this.fail(
              [...path, 'allowed-ips', j],
              'must lie within the top-level allowed-ips (a rule can only narrow them)'
            )
        })
      }
      return rule
    })
  }
}
