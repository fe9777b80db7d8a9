// OIDC token checks, all by `jose`: the issuer's keys through its discovery document (cached by jose,
// refetched at once on an unknown `kid`, at most once a second), RS256 only, exact `iss` and `aud`, `exp`/`nbf` with a small clock
// tolerance, required claims present. Using a `jti` once is the store's job (see Leases).
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'

/** Claims every GitHub Actions token carries and the gateway relies on. */
export const REQUIRED_CLAIMS = [
  'iss',
  'aud',
  'exp',
  'iat',
  'jti',
  'sub',
  'repository',
  'repository_id',
  'repository_owner_id'
]
export const CLOCK_TOLERANCE_S = 30
/** Tokens issued longer ago than this are refused (GitHub's live minutes; a used `jti` is kept until `exp`). */
export const MAX_TOKEN_AGE = '1h'
export const MAX_TOKEN_AGE_MS = 3_600_000

export class TokenError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 503,
    /** jose's error code, or ours: for the audit line and for tests. */
    readonly code: string,
    /** For the operator (the audit line), never the client: the issuer's URLs and the network error. */
    readonly detail?: string
  ) {
    super(message)
    this.name = 'TokenError'
  }
}

/** What a client is told when the issuer cannot be asked: where it lives and why it failed are the operator's. */
export const ISSUER_UNREACHABLE = 'the token issuer could not be reached; try again'

interface VerifierOptions {
  issuer: string
  audience: string
  /** Keys to verify with; by default the issuer's, found through its discovery document. */
  keys?: JWTVerifyGetKey
  /** For discovery (tests give their own). */
  fetch?: typeof fetch
  /** Milliseconds between refetches of the keys for an unknown `kid` (REFETCH_COOLDOWN_MS; tests give less). */
  refetchCooldownMs?: number
}

/**
 * An unknown `kid` refetches the issuer's keys, but not within this long of the last fetch: a key
 * the issuer just published is found at once (a request waits out the rest of this, then refetches),
 * and tokens with made-up kids cost at most one fetch per this period, however many arrive.
 */
export const REFETCH_COOLDOWN_MS = 1000

/**
 * The issuer's keys at `url`, through jose's remote key set. jose refetches for an unknown `kid` only
 * when its last fetch is older than `cooldownDuration` (30 s by default: a token signed with a key
 * published since was refused for up to 30 s). Here the cooldown is `cooldownMs`, and a request for an
 * unknown kid that meets it waits it out (polled, bounded) and asks once more, so jose refetches
 * then; requests waiting together share that one fetch (jose keeps one in flight).
 */
function issuerKeys(url: URL, cooldownMs: number): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url, { timeoutDuration: 5000, cooldownDuration: cooldownMs, cacheMaxAge: 600_000 })
  // Read afresh each time (a getter: jose's last fetch moves it).
  const coolingDown = (): boolean => remote.coolingDown
  return async (header, token) => {
    const cooling = coolingDown()
    try {
      return await remote(header, token)
    } catch (err) {
      // Not cooling down: jose refetched already, and the kid is not the issuer's.
      if (!(err instanceof errors.JWKSNoMatchingKey) || !cooling) throw err
      const end = Date.now() + cooldownMs
      while (coolingDown() && Date.now() < end) await new Promise((r) => setTimeout(r, Math.min(50, cooldownMs)))
      return remote(header, token)
    }
  }
}

export type Verifier = (token: string) => Promise<JWTPayload>

/** Turns jose's refusal into a reason for the caller. Never quotes the token or a claim's value. */
export function explain(err: unknown): TokenError {
  if (err instanceof TokenError) return err
  const code = err instanceof errors.JOSEError ? err.code : 'ERR_UNKNOWN'
  const say = (m: string): TokenError => new TokenError(m, 401, code)
  if (err instanceof errors.JWTExpired)
    return say(err.claim === 'iat' ? `the token was issued more than ${MAX_TOKEN_AGE} ago` : 'the token has expired')
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return say('the token is not valid yet (nbf is in the future)')
    if (err.reason === 'missing') return say(`the token lacks the "${err.claim}" claim`)
    return say(`the token's "${err.claim}" claim is not accepted here (${err.reason})`)
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return say('the token is not signed with RS256')
  if (err instanceof errors.JWSSignatureVerificationFailed) return say('the token signature does not verify')
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
    return say("no key of the issuer matches the token's kid")
  const unreachable = (): TokenError =>
    new TokenError(
      ISSUER_UNREACHABLE,
      503,
      code,
      `the issuer's keys (jwks_uri) could not be fetched: ${err instanceof Error ? err.message : String(err)}`
    )
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return unreachable()
  if (err instanceof errors.JOSEError) return say('the token is malformed')
  // fetch errors from jose's key set (network): the issuer, not the token, is at fault.
  return unreachable()
}

/** A verifier for one issuer and audience. Discovery happens on first use and is retried on failure. */
export function createVerifier(opts: VerifierOptions): Verifier {
  let keys: JWTVerifyGetKey | undefined = opts.keys
  let discovering: Promise<JWTVerifyGetKey> | undefined
  const doFetch = opts.fetch ?? fetch

  const discover = async (): Promise<JWTVerifyGetKey> => {
    const url = `${opts.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
    let doc: { issuer?: unknown; jwks_uri?: unknown }
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error' })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      doc = (await res.json()) as typeof doc
    } catch (err) {
      const cause = (err as { cause?: { code?: unknown } }).cause?.code
      throw new TokenError(
        ISSUER_UNREACHABLE,
        503,
        'ERR_DISCOVERY',
        `the issuer's discovery document ${url} could not be read: ${String(err)}${typeof cause === 'string' ? ` (${cause})` : ''}`
      )
    }
    if (doc.issuer !== opts.issuer || typeof doc.jwks_uri !== 'string')
      throw new TokenError(
        ISSUER_UNREACHABLE,
        503,
        'ERR_DISCOVERY',
        `the issuer's discovery document ${url} names another issuer or no jwks_uri`
      )
    const jwks = new URL(doc.jwks_uri)
    const issuerUrl = new URL(opts.issuer)
    // The keys are fetched as securely as the issuer itself (http:// only for a loopback issuer in tests).
    if (
      jwks.protocol !== 'https:' &&
      !(jwks.protocol === 'http:' && jwks.host === issuerUrl.host && issuerUrl.protocol === 'http:')
    )
      throw new TokenError(
        ISSUER_UNREACHABLE,
        503,
        'ERR_DISCOVERY',
        `the issuer's jwks_uri ${jwks.origin}${jwks.pathname} must be https:// (as the issuer is)`
      )
    return issuerKeys(jwks, opts.refetchCooldownMs ?? REFETCH_COOLDOWN_MS)
  }

  // A failed discovery is not retried for a few seconds: a flood of requests makes no flood of fetches.
  let failed: { at: number; err: unknown } | undefined
  const getKeys = async (): Promise<JWTVerifyGetKey> => {
    if (keys) return keys
    if (failed && Date.now() - failed.at < 5000) throw failed.err
    discovering ??= discover()
      .catch((err: unknown) => {
        failed = { at: Date.now(), err }
        throw err
      })
      .finally(() => (discovering = undefined))
    keys = await discovering
    return keys
  }

  return async (token: string): Promise<JWTPayload> => {
    if (token.length > 8192 || !/^[A-Za-z0-9_.-]+$/.test(token))
      throw new TokenError('the token is malformed', 401, 'ERR_JWT_INVALID')
    try {
      const k = await getKeys()
      const { payload } = await jwtVerify(token, k, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: ['RS256'],
        clockTolerance: CLOCK_TOLERANCE_S,
        maxTokenAge: MAX_TOKEN_AGE,
        requiredClaims: REQUIRED_CLAIMS
      })
      // Exactly this audience: a token meant for several services is not one this gateway accepts.
      if (Array.isArray(payload.aud) && payload.aud.length !== 1)
        throw new TokenError('the token names more than one audience', 401, 'ERR_JWT_CLAIM_VALIDATION_FAILED')
      // Claims the policy and audit read must be plain strings (GitHub sends ids as strings).
      for (const c of ['jti', 'repository', 'repository_id', 'repository_owner_id'])
        if (typeof payload[c] !== 'string' || payload[c] === '')
          throw new TokenError(`the token's "${c}" claim is not a string`, 401, 'ERR_JWT_CLAIM_VALIDATION_FAILED')
      return payload
    } catch (err) {
      throw explain(err)
    }
  }
}
