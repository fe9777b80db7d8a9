// OIDC token checks, all by `jose`: the issuer's keys through its discovery document (cached by jose,
// refetched at once on an unknown `kid`, at most once a second), RS256 only, exact `iss` and `aud`, `exp`/`nbf` with a small clock
// tolerance, required claims present. Using a `jti` once is the store's job (see Leases).
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { GATEWAY_CODES, type GatewayCode } from '../../common/codes.js'
import { errorText } from '../../common/errors.js'

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

/** A token refused, or the issuer not usable: a code of the API (its status follows from it) and a reason. */
export class TokenError extends Error {
  readonly status: number
  constructor(
    message: string,
    readonly code: GatewayCode,
    /** For the operator (the audit line), never the client: the issuer's URLs and the network error. */
    readonly detail?: string,
    /** jose's error code, when jose refused the token (held to jose's own verdict by the unit tests). */
    readonly jose?: string
  ) {
    super(message)
    this.name = 'TokenError'
    this.status = GATEWAY_CODES[code]
  }
}

/** What a client is told when the issuer cannot be asked: where it lives and why it failed are the operator's. */
const ISSUER_UNREACHABLE = 'the token issuer could not be reached; try again'
/** What a client is told when the issuer answers with something this configuration cannot use. */
const ISSUER_MISCONFIGURED = "the token issuer's discovery document or keys do not fit the gateway's issuer setting"

interface VerifierOptions {
  issuer: string
  audience: string
  /** Keys to verify with; by default the issuer's, found through its discovery document. */
  keys?: JWTVerifyGetKey
  /** For discovery and the issuer's keys (tests give their own). */
  fetch?: typeof fetch
  /** Milliseconds between refetches of the keys for an unknown `kid` (REFETCH_COOLDOWN_MS; tests give less). */
  refetchCooldownMs?: number
  /** The gateway's clock in epoch milliseconds (tests give a fixed one). */
  now?: () => number
}

/**
 * An unknown `kid` refetches the issuer's keys, but not within this long of the last fetch: a key
 * the issuer just published is found at once (a request waits out the rest of this, then refetches),
 * and tokens with made-up kids cost at most one fetch per this period, however many arrive.
 */
export const REFETCH_COOLDOWN_MS = 1000

/**
 * The issuer's keys through jose's remote key set (made with `cooldownDuration` = `cooldownMs`). jose
 * refetches for an unknown `kid` only when its last fetch is older than its cooldown (30 s by
 * default: a token signed with a key published since was refused for up to 30 s). Here a request for
 * an unknown kid that meets the cooldown waits it out (polled, bounded) and asks once more, so jose
 * refetches then; requests waiting together share that one fetch (jose keeps one in flight).
 */
function refetchingKeys(remote: ReturnType<typeof createRemoteJWKSet>, cooldownMs: number): JWTVerifyGetKey {
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

/** A claim's value from a verified token, quoted for a reason: printable, cut short. An audience or issuer is no secret. */
function quote(value: unknown): string {
  const one = (v: unknown): string =>
    JSON.stringify(
      String(v)
        .replace(/[^\x20-\x7e]/g, '?')
        .slice(0, 200)
    )
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.slice(0, 3).map(one).join(', ')
  return value === undefined ? 'none' : one(value)
}

/**
 * Turns jose's refusal into a code and a reason for the caller (see GATEWAY_CODES). A time claim
 * refused says by how many seconds and which clock is off, read from jose's own error (its `claim`
 * and `payload`; the token is never parsed here): `iat` or `nbf` in the future means the gateway's
 * clock is behind the issuer's; an expired token the job fetched just now means it is ahead. An
 * audience or issuer refused names the expected and the presented value. Never quotes the token.
 * `now` is the gateway's clock in epoch milliseconds, as given to jose.
 */
export function explain(
  err: unknown,
  expected: { issuer: string; audience: string },
  now: number = Date.now()
): TokenError {
  if (err instanceof TokenError) return err
  const jose = err instanceof errors.JOSEError ? err.code : 'ERR_UNKNOWN'
  const say = (code: GatewayCode, m: string): TokenError => new TokenError(m, code, undefined, jose)
  const nowS = Math.floor(now / 1000)
  const claim = (c: string): number | undefined => {
    const v = (err as { payload?: Record<string, unknown> }).payload?.[c]
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined
  }
  if (err instanceof errors.JWTExpired) {
    const iat = claim('iat')
    const ahead =
      iat === undefined
        ? ''
        : `: if it was fetched just now, the gateway's clock is about ${nowS - iat} s ahead of the token issuer's`
    if (err.claim === 'iat')
      return say(
        'token_expired',
        `the token was issued ${nowS - (iat ?? nowS)} s ago (iat), over the ${MAX_TOKEN_AGE} this gateway accepts${ahead}`
      )
    const exp = claim('exp') ?? nowS
    return say(
      'token_expired',
      `the token expired ${nowS - exp} s ago by the gateway's clock (exp)${iat === undefined ? '' : `; it was issued ${nowS - iat} s ago (iat)`}${ahead}`
    )
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return say('token_invalid', `the token lacks the "${err.claim}" claim`)
    const at = claim(err.claim)
    if (err.reason === 'check_failed' && (err.claim === 'nbf' || err.claim === 'iat') && at !== undefined) {
      const early = at - nowS
      return say(
        'token_not_yet_valid',
        err.claim === 'nbf'
          ? `the token is not valid for another ${early} s by the gateway's clock (nbf): the gateway's clock is at least ${early} s behind the token issuer's`
          : `the token was issued ${early} s in the future by the gateway's clock (iat): the gateway's clock is about ${early} s behind the token issuer's`
      )
    }
    const payload = (err as { payload?: Record<string, unknown> }).payload ?? {}
    if (err.reason === 'check_failed' && err.claim === 'aud')
      return say(
        'audience_mismatch',
        `the token's audience ${quote(payload.aud)} is not this gateway's audience ${quote(expected.audience)}`
      )
    if (err.reason === 'check_failed' && err.claim === 'iss')
      return say(
        'issuer_mismatch',
        `the token's issuer ${quote(payload.iss)} is not this gateway's issuer ${quote(expected.issuer)}`
      )
    return say('token_invalid', `the token's "${err.claim}" claim is not accepted here (${err.reason})`)
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return say('token_invalid', 'the token is not signed with RS256')
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return say('token_invalid', 'the token signature does not verify')
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
    return say('token_key_unknown', "no key of the issuer matches the token's kid")
  if (err instanceof errors.JOSEError) return say('token_invalid', 'the token is malformed')
  // Not jose's verdict on the token: a fault of ours, reported as such (the key source's faults
  // arrive as TokenErrors, see issuerKeys).
  return new TokenError('the token could not be checked; see the gateway log', 'internal_error', errorText(err), jose)
}

/** A failed fetch from the issuer, for the operator: the URL, the status or the network error and its code. */
function fetchFailure(url: string, err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause?.code
  return `${url}: ${errorText(err)}${typeof cause === 'string' ? ` (${cause})` : ''}`
}

/**
 * Fetches from the issuer: a 5xx answer, a timeout or a network error is `issuer_unreachable`
 * (try again later); any other answer but 200 is `issuer_misconfigured` (the URL is wrong).
 */
function issuerFetch(doFetch: typeof fetch, what: string): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input)
    let res: Response
    try {
      res = await doFetch(input, init)
    } catch (err) {
      // jose turns a TimeoutError into its JWKSTimeout; ours say the same in the audit line.
      throw new TokenError(
        ISSUER_UNREACHABLE,
        'issuer_unreachable',
        `${what} could not be fetched from ${fetchFailure(url, err)}`
      )
    }
    if (res.status !== 200)
      throw new TokenError(
        res.status >= 500 ? ISSUER_UNREACHABLE : ISSUER_MISCONFIGURED,
        res.status >= 500 ? 'issuer_unreachable' : 'issuer_misconfigured',
        `${what} ${url} answered HTTP ${res.status}`
      )
    return res
  }
}

/**
 * The key source handed to jose, with its faults made ours: no key for the token's `kid` stays
 * jose's verdict on the token (token_key_unknown); anything else (the issuer down, a key set that
 * is not one) is the issuer's fault, not the token's: 503, never "malformed".
 */
function issuerKeys(keys: JWTVerifyGetKey, where: string): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token)
    } catch (err) {
      if (
        err instanceof TokenError ||
        err instanceof errors.JWKSNoMatchingKey ||
        err instanceof errors.JWKSMultipleMatchingKeys
      )
        throw err
      const code: GatewayCode =
        err instanceof errors.JWKSInvalid || err instanceof errors.JWKInvalid || err instanceof errors.JOSENotSupported
          ? 'issuer_misconfigured'
          : 'issuer_unreachable'
      throw new TokenError(
        code === 'issuer_unreachable' ? ISSUER_UNREACHABLE : ISSUER_MISCONFIGURED,
        code,
        `the issuer's keys (${where}) could not be used: ${fetchFailure(where, err)}`
      )
    }
  }
}

/** A verifier for one issuer and audience. Discovery happens on first use and is retried on failure. */
export function createVerifier(opts: VerifierOptions): Verifier {
  const doFetch = opts.fetch ?? fetch
  const now = opts.now ?? Date.now
  let keys: JWTVerifyGetKey | undefined = opts.keys && issuerKeys(opts.keys, 'given keys')
  let discovering: Promise<JWTVerifyGetKey> | undefined

  const discover = async (): Promise<JWTVerifyGetKey> => {
    const url = `${opts.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
    const misconfigured = (detail: string): TokenError =>
      new TokenError(ISSUER_MISCONFIGURED, 'issuer_misconfigured', `the issuer's discovery document ${url} ${detail}`)
    const res = await issuerFetch(doFetch, "the issuer's discovery document")(url, {
      signal: AbortSignal.timeout(5000),
      redirect: 'error'
    })
    let doc: { issuer?: unknown; jwks_uri?: unknown }
    try {
      doc = (await res.json()) as typeof doc
    } catch (err) {
      // The body is read under the same 5 s signal: cut short is unreachable, anything else is not JSON.
      const name = (err as Error).name
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new TokenError(
          ISSUER_UNREACHABLE,
          'issuer_unreachable',
          `the issuer's discovery document ${url} timed out`
        )
      throw misconfigured(`is not JSON: ${(err as Error).message}`)
    }
    if (doc.issuer !== opts.issuer || typeof doc.jwks_uri !== 'string')
      throw misconfigured('names another issuer or no jwks_uri')
    const jwks = new URL(doc.jwks_uri)
    const issuerUrl = new URL(opts.issuer)
    // The keys are fetched as securely as the issuer itself (http:// only for a loopback issuer in tests).
    if (
      jwks.protocol !== 'https:' &&
      !(jwks.protocol === 'http:' && jwks.host === issuerUrl.host && issuerUrl.protocol === 'http:')
    )
      throw misconfigured(`names a jwks_uri ${jwks.origin}${jwks.pathname} that is not https:// (as the issuer is)`)
    const cooldownMs = opts.refetchCooldownMs ?? REFETCH_COOLDOWN_MS
    const remote = createRemoteJWKSet(jwks, {
      timeoutDuration: 5000,
      cooldownDuration: cooldownMs,
      cacheMaxAge: 600_000,
      [customFetch]: issuerFetch(doFetch, "the issuer's keys (jwks_uri)")
    })
    return issuerKeys(refetchingKeys(remote, cooldownMs), `${jwks.origin}${jwks.pathname}`)
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
      throw new TokenError('the token is malformed', 'token_invalid', undefined, 'ERR_JWT_INVALID')
    const at = now()
    try {
      const k = await getKeys()
      const { payload } = await jwtVerify(token, k, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: ['RS256'],
        clockTolerance: CLOCK_TOLERANCE_S,
        maxTokenAge: MAX_TOKEN_AGE,
        requiredClaims: REQUIRED_CLAIMS,
        currentDate: new Date(at)
      })
      // Exactly this audience: a token meant for several services is not one this gateway accepts.
      if (Array.isArray(payload.aud) && payload.aud.length !== 1)
        throw new TokenError(
          `the token names ${payload.aud.length} audiences (${quote(payload.aud)}); this gateway accepts only its own, ${quote(opts.audience)}`,
          'audience_mismatch'
        )
      // Claims the policy and audit read must be plain strings (GitHub sends ids as strings).
      for (const c of ['jti', 'repository', 'repository_id', 'repository_owner_id'])
        if (typeof payload[c] !== 'string' || payload[c] === '')
          throw new TokenError(`the token's "${c}" claim is not a string`, 'token_invalid')
      return payload
    } catch (err) {
      throw explain(err, opts, at)
    }
  }
}
