// The gateway's error codes: the contract between the gateway, which answers every refusal with
// `{"error": "<for people>", "code": "<one of these>"}`, and the action, which chooses its advice by
// the code (never by the status alone). A code, once published, keeps its meaning; new ones may be
// added. docs/gateway.md's API table lists every one (a unit test holds the table to this list).

/** Each code and the HTTP status it is sent with. */
export const GATEWAY_CODES = {
  /** The body is not JSON. */
  invalid_body: 400,
  /** `publicKey` is not a WireGuard public key. */
  invalid_public_key: 400,
  /** The request ended before its body did. */
  request_incomplete: 400,
  /** No `Authorization` header (POST: the token; DELETE: the lease secret). */
  authorization_missing: 401,
  /** An `Authorization` header that is not `Bearer <credential>`, or is too long. */
  authorization_malformed: 401,
  /** The token is malformed, badly signed, not RS256, lacks a claim, or names several audiences. */
  token_invalid: 401,
  /** No key the gateway has from its issuer matches the token's `kid`. */
  token_key_unknown: 401,
  /** The token's `exp` passed, or its `iat` is over an hour ago, by the gateway's clock. */
  token_expired: 401,
  /** The token's `nbf` or `iat` is in the future by the gateway's clock (beyond its tolerance). */
  token_not_yet_valid: 401,
  /** The token's `aud` is not the gateway's `audience`. */
  audience_mismatch: 401,
  /** The token's `iss` is not the gateway's `issuer`. */
  issuer_mismatch: 401,
  /** No rule matches the token's claims. */
  no_rule_matches: 403,
  /** DELETE with a secret that is not this lease's. */
  lease_secret_mismatch: 403,
  /** No such path. */
  not_found: 404,
  /** DELETE of an unknown or ended lease. */
  lease_not_found: 404,
  /** A method the path does not serve. */
  method_not_allowed: 405,
  /** The token was used already (`jti`). */
  token_replayed: 409,
  /** The public key already has a live lease. */
  public_key_leased: 409,
  /** The public key is a peer's the gateway did not add, or the interface's own. */
  public_key_taken: 409,
  /** Another peer on the interface holds the address sought (after retries). */
  address_taken: 409,
  /** The body is over its limit. */
  body_too_large: 413,
  /** The repository went over `rate-limit`. */
  rate_limited: 429,
  /**
   * The repository or run holds as many live leases as its quota allows. 403, not 429: a quota is not
   * a rate (429 is `rate_limited`'s, "too many requests in a time"); asking again changes nothing until
   * the repository's own leases end, as with Kubernetes' ResourceQuota ("exceeded quota", 403).
   */
  quota_exceeded: 403,
  /** The client's address went over `refusals-per-address`: answered before anything is read. */
  too_many_refusals: 429,
  /** Something failed inside the gateway (its log says what). */
  internal_error: 500,
  /** `wg set` failed to add the peer (the gateway's log says why). */
  peer_add_failed: 500,
  /** No address is free in the pool. */
  pool_exhausted: 503,
  /** The issuer's discovery document or keys could not be fetched (network, timeout, 5xx). */
  issuer_unreachable: 503,
  /** The issuer answered, but its discovery document or keys are not usable with this configuration. */
  issuer_misconfigured: 503,
  /** The gateway refuses new leases while it drains (an operator's `drain`); live leases go on. */
  draining: 503,
  /** The gateway's lease store cannot be written now (its write lock held elsewhere, its disk full): new leases wait. */
  store_unavailable: 503,
  /** This process is a standby: another process of the same gateway (interface and key) is active. */
  standby: 503,
  /** The gateway's PostgreSQL database cannot be reached: new leases wait; live ones go on. */
  database_unreachable: 503
} as const

export type GatewayCode = keyof typeof GATEWAY_CODES

/** The form of a code: what the action accepts from a gateway's answer before it looks it up. */
export const CODE_FORM = /^[a-z][a-z0-9_]{0,47}$/

export const isGatewayCode = (code: unknown): code is GatewayCode =>
  typeof code === 'string' && Object.hasOwn(GATEWAY_CODES, code)
