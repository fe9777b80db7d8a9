// Leases and used token ids in SQLite (node:sqlite), so that a restart loses nothing. A lease is written
// before its peer is added, so every peer the gateway ever added has a row; a row stays (ended, with
// `removed` = 0) until its peer is confirmed gone. Lease secrets are stored only as SHA-256 hashes.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'

export interface Lease {
  id: string
  publicKey: string
  addresses: string[]
  secretHash: string
  repository: string
  repositoryId: string
  runId: string
  workflowRef: string
  rule: number
  createdAt: number
  expiresAt: number
  endedAt?: number
  endReason?: string
  removed: boolean
}

interface Row {
  id: string
  public_key: string
  addresses: string
  secret_hash: string
  repository: string
  repository_id: string
  run_id: string
  workflow_ref: string
  rule: number
  created_at: number
  expires_at: number
  ended_at: number | null
  end_reason: string | null
  removed: number
}

const fromRow = (r: Row): Lease => ({
  id: r.id,
  publicKey: r.public_key,
  addresses: JSON.parse(r.addresses) as string[],
  secretHash: r.secret_hash,
  repository: r.repository,
  repositoryId: r.repository_id,
  runId: r.run_id,
  workflowRef: r.workflow_ref,
  rule: r.rule,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  endedAt: r.ended_at ?? undefined,
  endReason: r.end_reason ?? undefined,
  removed: r.removed === 1
})

/** Ended leases whose peer is gone are kept this long (for the audit trail in the file), then pruned. */
const KEEP_ENDED_MS = 7 * 86_400_000

export class Store {
  private readonly db: DatabaseSync
  private readonly q: Record<string, StatementSync>

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    this.db = new DatabaseSync(path)
    // WAL: a crash of this process loses no committed lease; NORMAL: no fsync per lease.
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = 2000;
      CREATE TABLE IF NOT EXISTS leases (
        id TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        addresses TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        repository TEXT NOT NULL,
        repository_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        workflow_ref TEXT NOT NULL,
        rule INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ended_at INTEGER,
        end_reason TEXT,
        removed INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX IF NOT EXISTS live_key ON leases (public_key) WHERE ended_at IS NULL;
      CREATE INDEX IF NOT EXISTS by_key ON leases (public_key);
      CREATE INDEX IF NOT EXISTS live_run ON leases (repository_id, run_id) WHERE ended_at IS NULL;
      CREATE TABLE IF NOT EXISTS used_tokens (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
    `)
    const p = (sql: string): StatementSync => this.db.prepare(sql)
    this.q = {
      insert: p(`INSERT INTO leases (id, public_key, addresses, secret_hash, repository, repository_id, run_id,
        workflow_ref, rule, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      get: p('SELECT * FROM leases WHERE id = ?'),
      liveByKey: p('SELECT * FROM leases WHERE public_key = ? AND ended_at IS NULL'),
      byKey: p('SELECT * FROM leases WHERE public_key = ? ORDER BY created_at'),
      delete: p('DELETE FROM leases WHERE id = ?'),
      lastByKey: p('SELECT * FROM leases WHERE public_key = ? ORDER BY created_at DESC LIMIT 1'),
      open: p('SELECT * FROM leases WHERE ended_at IS NULL OR removed = 0 ORDER BY created_at'),
      live: p('SELECT COUNT(*) AS n FROM leases WHERE ended_at IS NULL'),
      liveOfRepository: p('SELECT COUNT(*) AS n FROM leases WHERE repository_id = ? AND ended_at IS NULL'),
      liveOfRun: p('SELECT COUNT(*) AS n FROM leases WHERE repository_id = ? AND run_id = ? AND ended_at IS NULL'),
      end: p('UPDATE leases SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL'),
      removed: p('UPDATE leases SET removed = 1 WHERE id = ?'),
      useToken: p('INSERT OR IGNORE INTO used_tokens (jti, expires_at) VALUES (?, ?)'),
      tokenUsed: p('SELECT 1 FROM used_tokens WHERE jti = ?'),
      pruneTokens: p('DELETE FROM used_tokens WHERE expires_at < ?'),
      pruneLeases: p('DELETE FROM leases WHERE removed = 1 AND ended_at < ?')
    }
  }

  insert(l: Lease): void {
    this.q.insert!.run(
      l.id,
      l.publicKey,
      JSON.stringify(l.addresses),
      l.secretHash,
      l.repository,
      l.repositoryId,
      l.runId,
      l.workflowRef,
      l.rule,
      l.createdAt,
      l.expiresAt
    )
  }

  get(id: string): Lease | undefined {
    const r = this.q.get!.get(id) as Row | undefined
    return r && fromRow(r)
  }

  liveByKey(publicKey: string): Lease | undefined {
    const r = this.q.liveByKey!.get(publicKey) as Row | undefined
    return r && fromRow(r)
  }

  /** Every lease of a key still kept (live, ended, not yet pruned), oldest first. */
  byKey(publicKey: string): Lease[] {
    return (this.q.byKey!.all(publicKey) as unknown as Row[]).map(fromRow)
  }

  /** The newest lease of a key, live or ended. */
  lastByKey(publicKey: string): Lease | undefined {
    const r = this.q.lastByKey!.get(publicKey) as Row | undefined
    return r && fromRow(r)
  }

  /** Forgets a lease whose peer was never added. */
  delete(id: string): void {
    this.q.delete!.run(id)
  }

  /** Live leases and ended ones whose peer may still be on the interface. */
  open(): Lease[] {
    return (this.q.open!.all() as unknown as Row[]).map(fromRow)
  }

  liveCount(): number {
    return (this.q.live!.get() as { n: number }).n
  }

  /** Live leases of a repository (by id) and of one of its runs: what quotas count. */
  liveCounts(repositoryId: string, runId: string): { repository: number; run: number } {
    return {
      repository: (this.q.liveOfRepository!.get(repositoryId) as { n: number }).n,
      run: runId === '' ? 0 : (this.q.liveOfRun!.get(repositoryId, runId) as { n: number }).n
    }
  }

  /** Ends a live lease; false when it was not live. */
  end(id: string, reason: string, now: number): boolean {
    return this.q.end!.run(now, reason, id).changes === 1
  }

  markRemoved(id: string): void {
    this.q.removed!.run(id)
  }

  /** True when a token id was used (and is kept: until the token could no longer verify). */
  tokenUsed(jti: string): boolean {
    return this.q.tokenUsed!.get(jti) !== undefined
  }

  /** Records a token id as used until it expires; false when it was used already. */
  useToken(jti: string, expiresAt: number): boolean {
    return this.q.useToken!.run(jti, expiresAt).changes === 1
  }

  prune(now: number): void {
    this.q.pruneTokens!.run(now)
    this.q.pruneLeases!.run(now - KEEP_ENDED_MS)
  }

  close(): void {
    this.db.close()
  }
}
