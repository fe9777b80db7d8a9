// Leases: grant, release, sweep and reconcile. The store is written before the interface is touched,
// so every peer the gateway adds is known by key and addresses; a peer is removed only when the
// gateway leased it and it still has only the leased addresses. Peers it never leased are read (their
// addresses are never handed out) and never changed: a key or address they hold is refused.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { GATEWAY_CODES, type GatewayCode } from '../../common/codes.js'
import { errorText } from '../../common/errors.js'
import { contains, parsePrefix, prefixText, type Prefix } from '../../common/ip.js'
import type { Audit, AuditFields } from '../audit.js'
import { HttpError } from '../http/error.js'
import type { AccessRule, GatewayConfig } from '../settings.js'
import { checkedClaims, matchRule } from '../auth/policy.js'
import { Pool } from './pool.js'
import { KeyLeased, QuotaExceeded, StoreUnavailable, type Lease, type Store, type StoreHealth } from './store.js'
import { CLOCK_TOLERANCE_S, explain, MAX_TOKEN_AGE_MS, type Verifier } from '../auth/tokens.js'
import { Coalescer, type PeerOp, type PeerState } from './peers.js'
import { NO_FIREWALL, type Firewall } from '../firewall/firewall.js'
import { quotaRefusal } from '../limits/quota.js'
import { RateLimiter } from '../limits/rate.js'
import { fate, Liveness } from './liveness.js'

/** What a client is told when the store cannot be written now; why is in the audit line. */
export const STORE_UNAVAILABLE = "the gateway's store cannot be written just now; try again shortly"
/** What a client is told when the gateway's PostgreSQL database cannot be reached; why is in the audit line. */
export const DATABASE_UNREACHABLE =
  "the gateway's database cannot be reached just now (live leases go on); try again shortly or another gateway"

/** What the gateway needs of the interface (Wg, or a stand-in in unit tests). */
export interface Interface {
  readonly iface: string
  info(): Promise<{ publicKey: string; listenPort: number }>
  addresses(): Promise<Prefix[]>
  peers(withHandshakes?: boolean): Promise<Map<string, PeerState>>
  apply(ops: readonly PeerOp[]): Promise<void>
}

interface Grant {
  id: string
  secret: string
  addresses: string[]
  peers: { publicKey: string; endpoint: string; allowedIps: string[]; persistentKeepalive: number }[]
  dns: string[]
  expiresAt: string
}

/** A peer operation, with what a removal expects the peer to hold (its identity), and the lease an addition lets through the firewall. */
type Op = PeerOp & { expect?: string[]; lease?: string; admit?: Lease }

class ForeignKey extends Error {}
class AddressTaken extends Error {}
class PeerChanged extends Error {}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest()
const bare = (p: string): string => p.replace(/\/[0-9]+$/, '')

export class Leases {
  serverKey = ''
  private readonly pool: Pool
  private ifaceHosts: Prefix[] = []
  /** Prefixes of peers the gateway did not lease that fall within the pool. */
  private foreign: Prefix[] = []
  private readonly inUse = new Set<string>()
  private readonly granting = new Set<string>()
  private readonly removing = new Set<string>()
  private readonly rate: RateLimiter
  private readonly queue: Coalescer<Op, void>
  private sweeping: Promise<void> | undefined
  private readonly liveness: Liveness

  constructor(
    private readonly config: GatewayConfig,
    private readonly store: Store,
    private readonly wg: Interface,
    private readonly verify: Verifier,
    private readonly audit: Audit,
    private readonly now: () => number = Date.now,
    private readonly firewall: Firewall = NO_FIREWALL
  ) {
    this.pool = new Pool(config.pool)
    this.rate = new RateLimiter(config.rateLimit)
    this.queue = new Coalescer((ops) => this.applyBatch(ops))
    this.liveness = new Liveness(now())
  }

  /** Reads the interface and reconciles it with the store: re-adds live leases, removes ended ones. */
  async start(): Promise<void> {
    this.serverKey = (await this.wg.info()).publicKey
    await this.store.bind(this.wg.iface, this.serverKey, {
      name: this.config.name,
      pool: this.config.pool.map(prefixText),
      endpoint: this.config.endpoint
    })
    this.ifaceHosts = await this.wg.addresses()
    for (const l of this.store.open()) for (const a of l.addresses) this.inUse.add(bare(a))
    // The firewall first: every peer the store knows is filtered before any is added back.
    await this.firewall.reconcile(() => this.store.open())
    await this.sweep('reconcile')
  }

  liveCount(): number {
    return this.store.liveCount()
  }

  /** Whether the store takes writes (for /healthz): answered from memory, never waiting for the store. */
  storeHealth(): StoreHealth {
    return this.store.health()
  }

  /** True when no grant, release or peer change is in flight. */
  idle(): boolean {
    return this.granting.size === 0 && this.queue.idle && !this.sweeping
  }

  /**
   * Checks a request and leases an address. The order matters: first what costs nothing and can be
   * replayed (the token, its `jti`, the rules, the key); then the repository's rate limit; only a
   * request past all of these is charged and uses its token up. So a replayed token is 409 and
   * charges nothing (it cannot drain its repository's limit), and a 429 leaves the token usable after
   * the wait. A refusal after the rate check is charged: it took a place in the pool search. The
   * token is used up when the lease is written (with it, in one transaction): a refusal after that
   * (the interface refusing the key or address, a failed `wg set`) has used it, and a refused token
   * must not be replayed for free against the interface; an exhausted pool or a store that cannot
   * be written (503) has not.
   */
  async grant(token: string, publicKey: string, client: string): Promise<Grant> {
    const refuse: (code: GatewayCode, reason: string, who?: AuditFields, detail?: string) => never = (
      code,
      reason,
      who = {},
      detail
    ) => {
      this.audit('lease.refused', {
        status: GATEWAY_CODES[code],
        code,
        reason: detail ? `${reason} (${detail})` : reason,
        client,
        publicKey,
        ...who
      })
      throw new HttpError(code, reason)
    }
    let claims: Record<string, unknown>
    try {
      claims = await this.verify(token)
    } catch (err) {
      const e = explain(err, this.config)
      return refuse(e.code, e.message, {}, e.detail)
    }
    const who: AuditFields = {
      repository: String(claims.repository),
      repositoryId: String(claims.repository_id),
      runId: typeof claims.run_id === 'string' ? claims.run_id : undefined,
      workflowRef: typeof claims.workflow_ref === 'string' ? claims.workflow_ref : undefined
    }
    // The token's use is checked here (cheap, and before the rules), and made with the lease's insert
    // in one transaction: two requests with one token cannot both pass that (the second is refused).
    const jti = String(claims.jti)
    const unavailable = (err: unknown): never => {
      if (!(err instanceof StoreUnavailable)) throw err
      return refuse(
        err.code,
        err.code === 'database_unreachable' ? DATABASE_UNREACHABLE : STORE_UNAVAILABLE,
        who,
        err.message
      )
    }
    const used = await this.store.tokenUsed(jti).catch(unavailable)
    if (used) refuse('token_replayed', 'this token was used already (jti); request a new one', who)
    const rule = matchRule(this.config.rules, claims)
    if (rule < 0)
      refuse(
        'no_rule_matches',
        `no rule allows this token (claims checked: ${checkedClaims(this.config.rules).join(', ') || 'none: the configuration has no rules'})`,
        who
      )
    if (publicKey === this.serverKey) refuse('public_key_taken', "the public key is the interface's own", who)
    if (this.store.liveByKey(publicKey))
      refuse('public_key_leased', 'this public key already has a live lease; make a new key per job', who)
    const ruleQuota = (this.config.rules[rule] as AccessRule).quota
    const quota = quotaRefusal(ruleQuota, this.store.liveCounts(who.repositoryId ?? '', who.runId ?? ''))
    if (quota !== undefined) refuse('quota_exceeded', quota, who)
    if (!this.rate.take(String(claims.repository_id), this.now()))
      refuse(
        'rate_limited',
        `too many lease requests from this repository (at most ${this.config.rateLimit} a minute); retry shortly`,
        who
      )
    // Kept while the token could verify: until exp, and at most until it is too old (MAX_TOKEN_AGE_MS).
    const exp = Number(claims.exp) * 1000
    const iat = Number(claims.iat) * 1000
    const until = (Number.isFinite(iat) ? Math.min(exp, iat + MAX_TOKEN_AGE_MS) : exp) + CLOCK_TOLERANCE_S * 1000

    for (let attempt = 0; ; attempt++) {
      const addresses = this.pool.allocate({ addresses: this.inUse, prefixes: [...this.ifaceHosts, ...this.foreign] })
      if (!addresses) refuse('pool_exhausted', 'the address pool is exhausted; retry when leases end', who)
      const now = this.now()
      const secret = randomBytes(32).toString('base64url')
      const lease: Lease = {
        id: randomUUID(),
        publicKey,
        addresses,
        secretHash: sha256(secret).toString('hex'),
        repository: who.repository ?? '',
        repositoryId: who.repositoryId ?? '',
        runId: who.runId ?? '',
        workflowRef: who.workflowRef ?? '',
        rule,
        createdAt: now,
        expiresAt: now + this.config.leaseTtlMs,
        removed: false
      }
      // The lease, the token's use and the quota's check (across a fleet) are one transaction: a store
      // that cannot be written now refuses at once (503), and the token stays unused. The addresses
      // are held meanwhile, so that no other grant takes them.
      for (const a of addresses) this.inUse.add(bare(a))
      let fresh: boolean
      try {
        fresh = await this.store.insert(lease, attempt === 0 ? { jti, until } : undefined, ruleQuota)
      } catch (err) {
        for (const a of addresses) this.inUse.delete(bare(a))
        if (err instanceof QuotaExceeded) return refuse('quota_exceeded', err.message, who)
        if (err instanceof KeyLeased)
          return refuse('public_key_leased', 'this public key already has a live lease; make a new key per job', who)
        return unavailable(err)
      }
      if (!fresh) {
        for (const a of addresses) this.inUse.delete(bare(a))
        refuse('token_replayed', 'this token was used already (jti); request a new one', who)
      }
      this.granting.add(lease.id)
      try {
        await this.queue.submit({ kind: 'add', publicKey, allowedIps: addresses, lease: lease.id, admit: lease })
      } catch (err) {
        if (err instanceof ForeignKey || err instanceof AddressTaken) {
          // Never on the interface: forget it entirely, so the key or address stays the other peer's.
          this.store.delete(lease.id)
          for (const a of addresses) this.inUse.delete(bare(a))
          if (err instanceof AddressTaken && attempt < 2) continue
          refuse(err instanceof ForeignKey ? 'public_key_taken' : 'address_taken', err.message, who)
        }
        // The peer may be half there: the sweeper removes it (it is ours, by key and addresses).
        this.store.end(lease.id, 'add-failed', this.now())
        await this.store.flush()
        this.audit('error', { reason: (err as Error).message, lease: lease.id, ...who })
        refuse('peer_add_failed', 'the peer could not be added to the interface; see the gateway log', who)
      } finally {
        this.granting.delete(lease.id)
      }
      const expiresAt = new Date(lease.expiresAt).toISOString()
      this.audit('lease.granted', {
        status: 201,
        client,
        ...who,
        rule,
        lease: lease.id,
        publicKey,
        addresses,
        expiresAt
      })
      const allowedIps = (this.config.rules[rule]?.allowedIps ?? this.config.allowedIps).map(prefixText)
      return {
        id: lease.id,
        secret,
        addresses,
        peers: [
          {
            publicKey: this.serverKey,
            endpoint: this.config.endpoint,
            allowedIps,
            persistentKeepalive: this.config.persistentKeepalive
          }
        ],
        dns: this.config.dns,
        expiresAt
      }
    }
  }

  /**
   * Ends a live lease now, as an operator's `revoke` (`client` says who): the peer comes off first,
   * whatever the store does (its end is written when the store takes it). False when it is not live.
   */
  async revoke(id: string, client: string): Promise<boolean> {
    const lease = await this.store.get(id)
    if (!lease || lease.endedAt !== undefined || !this.store.end(id, 'revoked', this.now())) return false
    await this.removePeer(lease, 'revoked', client)
    await this.store.flush()
    return true
  }

  /** Addresses the pool could still lease (of its smallest family). */
  poolFree(): number {
    return this.pool.free({ addresses: this.inUse, prefixes: [...this.ifaceHosts, ...this.foreign] })
  }

  /**
   * Ends a lease with its secret. The peer comes off the interface first, whatever the store does;
   * resolves true when the end is written to the store too, false when that waits for the store
   * (retried every second, and by the sweeper).
   */
  async release(id: string, secret: string, client: string): Promise<boolean> {
    const lease = /^[0-9a-f-]{36}$/.test(id) ? await this.store.get(id) : undefined
    if (!lease || lease.endedAt !== undefined) {
      this.audit('lease.release-refused', {
        status: 404,
        code: 'lease_not_found',
        reason: 'no such live lease',
        client
      })
      throw new HttpError('lease_not_found', 'no such live lease')
    }
    const given = sha256(secret)
    if (!timingSafeEqual(given, Buffer.from(lease.secretHash, 'hex'))) {
      this.audit('lease.release-refused', {
        status: 403,
        code: 'lease_secret_mismatch',
        reason: 'wrong lease secret',
        client,
        lease: id
      })
      throw new HttpError('lease_secret_mismatch', 'this secret does not belong to this lease')
    }
    this.store.end(id, 'released', this.now())
    await this.removePeer(lease, 'released', client)
    return await this.store.flush()
  }

  /** Ends leases past their time or silent, restores live peers that went missing, removes ended ones. */
  sweep(why: 'sweep' | 'reconcile' = 'sweep'): Promise<void> {
    this.sweeping ??= this.sweepOnce(why).finally(() => (this.sweeping = undefined))
    return this.sweeping
  }

  private async sweepOnce(why: string): Promise<void> {
    const started = this.now()
    const peers = await this.wg.peers(true)
    this.foreign = this.foreignPrefixes(peers)
    // Leases the store says ended that are live here (revoked at another gateway of a fleet, its
    // notification missed, or while the database was unreachable): they end here too.
    for (const e of await this.store.endedElsewhere())
      if (this.store.end(e.id, e.reason, e.at))
        this.audit('fleet.revoked', { lease: e.id, client: 'sweep', reason: `ended in the database (${e.reason})` })
    const now = this.now()
    const work: Promise<unknown>[] = []
    let restored = 0
    const current = this.store.open()
    for (const lease of current) {
      if (this.granting.has(lease.id) || this.removing.has(lease.id) || lease.createdAt > started) continue
      const peer = peers.get(lease.publicKey)
      if (lease.endedAt === undefined) {
        const heard = this.liveness.observe(lease, peer, now)
        const f = fate(lease, heard, now, this.config.silenceMs, this.config.persistentKeepalive * 1000)
        if (f !== 'keep') {
          if (this.store.end(lease.id, f, now)) work.push(this.removePeer(lease, f))
          continue
        }
        if (peer && !peer.allowedIps.every((a) => lease.addresses.includes(a))) {
          // Someone gave the key other addresses: the peer is not the gateway's any more. The lease
          // ends; the peer stays as it is.
          if (this.store.end(lease.id, 'peer-changed', now)) work.push(this.removePeer(lease, 'peer-changed'))
          continue
        }
        if (!peer || !sameSet(peer.allowedIps, lease.addresses)) {
          restored++
          // A peer added anew has no session: its runner is given time to handshake again.
          if (!peer) this.liveness.restored(lease.id, now)
          this.audit('lease.restored', {
            lease: lease.id,
            publicKey: lease.publicKey,
            addresses: lease.addresses,
            repository: lease.repository
          })
          work.push(
            this.queue
              .submit({ kind: 'add', publicKey: lease.publicKey, allowedIps: lease.addresses, admit: lease })
              .catch((err: unknown) => this.audit('error', { reason: errorText(err), lease: lease.id }))
          )
        }
      } else {
        work.push(this.removePeer(lease, lease.endReason ?? 'ended', undefined, peer === undefined))
      }
    }
    // A peer of an ended lease that came back (a saved interface configuration restored, say): the
    // gateway leased it and no longer knows it, so it goes, if it holds only what was leased.
    const open = new Set(current.map((l) => l.publicKey))
    for (const [key, peer] of peers) {
      if (open.has(key)) continue
      const last = await this.store.lastByKey(key)
      if (last?.endedAt === undefined || last.createdAt > started || this.removing.has(last.id)) continue
      if (peer.allowedIps.every((a) => last.addresses.includes(a)))
        work.push(this.removePeer(last, 'came back after its lease ended'))
    }
    await Promise.all(work)
    // Ends and removals are written now, together (or kept for when the store takes writes again).
    await this.store.flush()
    await this.firewall.reconcile(() => this.store.open())
    await this.store.prune(now)
    if (why === 'reconcile')
      this.audit('gateway.reconciled', {
        interface: this.wg.iface,
        leases: this.store.liveCount(),
        count: restored,
        durationMs: this.now() - started
      })
  }

  /** Removes an ended lease's peer if it is still the gateway's; then frees its addresses. */
  private async removePeer(lease: Lease, reason: string, client?: string, gone = false): Promise<void> {
    const fields: AuditFields = {
      reason,
      client,
      lease: lease.id,
      publicKey: lease.publicKey,
      addresses: lease.addresses,
      repository: lease.repository,
      repositoryId: lease.repositoryId,
      runId: lease.runId || undefined
    }
    this.removing.add(lease.id)
    let left = false
    try {
      // A newer live lease of the same key owns the peer now; nothing to remove.
      if (!gone && !this.store.liveByKey(lease.publicKey))
        await this.queue.submit({ kind: 'remove', publicKey: lease.publicKey, expect: lease.addresses })
    } catch (err) {
      if (!(err instanceof PeerChanged)) {
        this.audit('error', {
          ...fields,
          reason: `removing the peer failed, retried at the next sweep: ${(err as Error).message}`
        })
        return
      }
      left = true
      this.audit('peer.left', {
        ...fields,
        reason: "the peer now holds addresses the gateway did not lease: it is not the gateway's any more and stays"
      })
    } finally {
      this.removing.delete(lease.id)
    }
    // The peer is gone (or not the gateway's any more): its firewall elements go too.
    await this.firewall
      .forget([lease])
      .catch((err: unknown) =>
        this.audit('error', { ...fields, reason: `firewall: ${errorText(err)}; retried at the next sweep` })
      )
    this.store.markRemoved(lease.id)
    this.liveness.forget(lease.id)
    // A removed peer's addresses are free at once, not at the next read of the interface. (A peer
    // that left keeps its addresses: the read for its removal counted them as foreign.)
    if (!left) this.foreign = this.foreign.filter((p) => !lease.addresses.includes(prefixText(p)))
    for (const a of lease.addresses) this.inUse.delete(bare(a))
    if (lease.endedAt === undefined) this.audit('lease.ended', fields)
    else if (!gone) this.audit('peer.removed', fields)
  }

  /**
   * Allowed IPs within the pool that no live lease holds: a lease would take them from the peer
   * that has them (WireGuard moves an allowed IP to the peer set last). That is every address of a
   * peer the gateway never leased, of a peer whose lease ended but which is still (or again) on the
   * interface, changed by an admin or awaiting removal, and any address a live lease's peer holds
   * beyond its lease.
   */
  private foreignPrefixes(peers: Map<string, PeerState>): Prefix[] {
    const out: Prefix[] = []
    for (const [key, p] of peers) {
      const leased = this.store.liveAddresses(key) ?? []
      for (const text of p.allowedIps) {
        if (leased.includes(text)) continue
        const prefix = parsePrefix(text)
        if (typeof prefix !== 'string' && this.config.pool.some((pool) => contains(pool, prefix))) out.push(prefix)
      }
    }
    return out
  }

  /**
   * True when a peer on the interface is the gateway's to set: a lease of its key (other than
   * `except`, the lease being added) holds every address the peer has. A peer the gateway never
   * leased, or one whose addresses an admin changed, is not: setting it would replace its addresses.
   */
  private async ours(publicKey: string, peer: PeerState, except = ''): Promise<boolean> {
    return (await this.store.byKey(publicKey)).some(
      (l) => l.id !== except && peer.allowedIps.every((a) => l.addresses.includes(a))
    )
  }

  /** One `wg set` for a batch; checks each operation against the interface as it is now. */
  private async applyBatch(ops: Op[]): Promise<(void | Error)[]> {
    const peers = await this.wg.peers(false)
    this.foreign = this.foreignPrefixes(peers)
    const results: (void | Error)[] = []
    let valid: Op[] = []
    for (const op of ops) {
      const peer = peers.get(op.publicKey)
      let r: Error | undefined
      if (op.kind === 'add') {
        if (peer && !(await this.ours(op.publicKey, peer, op.lease)))
          r = new ForeignKey('this public key belongs to another peer on the interface')
        else if (op.allowedIps.some((a) => this.foreign.some((f) => contains(f, parsePrefix(a) as Prefix))))
          r = new AddressTaken('the address is held by another peer on the interface')
      } else if (peer && !peer.allowedIps.every((a) => op.expect?.includes(a))) {
        r = new PeerChanged('the peer holds addresses the gateway did not lease')
      }
      results.push(r)
      if (!r && !(op.kind === 'remove' && !peer)) valid.push(op)
    }
    // A peer is added only once the firewall lets its addresses through to their rule's allowed-ips.
    const admit = valid.flatMap((op) => op.admit ?? [])
    if (admit.length > 0)
      await this.firewall.admit(admit).catch((err: unknown) => {
        const e = new Error(`the firewall could not admit the lease: ${errorText(err)}`)
        for (const op of valid.filter((o) => o.admit)) results[ops.indexOf(op)] = e
        valid = valid.filter((o) => !o.admit)
      })
    if (valid.length === 0) return results
    try {
      await this.wg.apply(valid)
    } catch (err) {
      if (valid.length === 1) return results.map((r, i) => r ?? (ops[i] === valid[0] ? (err as Error) : undefined))
      // One bad operation must not fail the rest: apply them one by one.
      for (const op of valid) {
        await this.wg
          .apply([op])
          .catch((e: unknown) => (results[ops.indexOf(op)] = e instanceof Error ? e : new Error(errorText(e))))
      }
    }
    return results
  }
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x))
}
