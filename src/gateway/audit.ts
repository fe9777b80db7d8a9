// One JSON line on stdout per decision. Fields are a fixed set: a token, a lease secret or a private
// key has no field to go into.
export interface AuditFields {
  reason?: string
  status?: number
  /** The API's error code (GATEWAY_CODES) of a refusal. */
  code?: string
  client?: string
  repository?: string
  repositoryId?: string
  runId?: string
  workflowRef?: string
  rule?: number
  lease?: string
  publicKey?: string
  addresses?: string[]
  expiresAt?: string
  interface?: string
  /** The gateway's name in a fleet (`name:`): this one, or the one concerned (a revoke sent to it). */
  gateway?: string
  /** Where leases are kept: a SQLite path, or a PostgreSQL URL (never with a password). */
  store?: string
  listen?: string
  leases?: number
  count?: number
  /** Milliseconds a piece of work took (a reconcile, say). */
  durationMs?: number
  /** With PostgreSQL: this process's role (`active`, `standby`). */
  role?: string
}

export type Audit = (event: string, fields?: AuditFields) => void

const FIELDS: (keyof AuditFields)[] = [
  'reason',
  'status',
  'code',
  'client',
  'repository',
  'repositoryId',
  'runId',
  'workflowRef',
  'rule',
  'lease',
  'publicKey',
  'addresses',
  'expiresAt',
  'interface',
  'gateway',
  'store',
  'listen',
  'leases',
  'count',
  'durationMs',
  'role'
]

/** An audit writer; `write` defaults to stdout. Unknown fields are dropped, not written. */
export function createAudit(write: (line: string) => void = (l) => void process.stdout.write(l)): Audit {
  return (event, fields = {}) => {
    const line: Record<string, unknown> = { time: new Date().toISOString(), event }
    for (const k of FIELDS) if (fields[k] !== undefined) line[k] = fields[k]
    write(`${JSON.stringify(line)}\n`)
  }
}
