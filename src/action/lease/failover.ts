// Gateway mode's failover: when the `gateway` input lists several URLs, which outcome of one of
// them moves on to the next, and how much of the step's time each may take. Pure; lease.ts asks
// the gateways, report/gateway.ts words the outcome.
//
// Why these outcomes move on (and only these):
// - No answer (connection refused or reset, host or network unreachable, a name that does not
//   resolve, no answer within its share of the time): that server is down or cut off; another
//   is another server.
// - A TLS handshake that failed or a certificate this runner refuses: a certificate is one
//   server's (one gateway's expired certificate says nothing of the next's), and nothing of the
//   request reaches a server Node refuses: Node 24 checks the certificate before it writes the
//   request, over TLS 1.2 and 1.3 alike (held by a unit test: the server reads no byte of it).
// - A proxy that refuses CONNECT to one gateway's host and port (ERR_PROXY_TUNNEL): the proxy
//   may allow the next. A proxy variable Node cannot use (ERR_PROXY_INVALID_CONFIG) is this
//   step's own and the same for every gateway: it stops.
// - An answer 5xx: by HTTP's semantics (RFC 9110, 15.6) the server failed, not the request. 503
//   is the gateway's "not now" (standby, draining, pool_exhausted, database_unreachable,
//   store_unavailable, issuer_unreachable); 502 and 504 are a proxy's or load balancer's word
//   that the gateway behind it could not be reached or did not answer; 500 is one gateway's own
//   fault (its interface, its bug). Another gateway may lease.
// - Never a 4xx: the request is at fault (RFC 9110, 15.5), the token, the rule, the quota or the
//   rate: each gateway of a fleet answers it the same, so asking the next only spends a token
//   (401 and 403 above all: the token or the rules, the same at every gateway of the team).
// An attempt that timed out may have been granted without the answer arriving: that lease's key
// is made for that attempt only (the next gateway gets a fresh key pair and a fresh token), and
// a key that never handshakes ends its lease as silent at the gateway.

/** Time kept for the rest of bring-up (interface, handshake, checks) when later gateways remain. */
export const BRING_UP_MS = 3000

/** The least time a gateway is given, and the least left for a later one to be tried at all. */
export const MIN_ATTEMPT_MS = 1000

/**
 * The deadline (epoch ms) of one gateway's attempt, `after` being how many gateways are listed
 * after it: the last one has the step's deadline (a single URL behaves as it always has); an
 * earlier one an equal share, with the gateways after it, of what is left once the bring-up's
 * time (BRING_UP_MS, at most a quarter of what is left) is kept; at least MIN_ATTEMPT_MS, never
 * past the step's deadline.
 */
export function attemptDeadline(now: number, deadline: number, after: number): number {
  if (after <= 0) return deadline
  const left = deadline - now
  const reserve = Math.min(BRING_UP_MS, left / 4)
  return Math.min(deadline, Math.round(now + Math.max(MIN_ATTEMPT_MS, (left - reserve) / (after + 1))))
}

/** Whether a gateway's answer of `status` (not 201) moves on to the next gateway: 5xx only. */
export const movesOnAfterAnswer = (status: number): boolean => status >= 500 && status <= 599

/** Whether a request that got no answer (Node's error `code`) moves on: all but this step's own proxy setting. */
export const movesOnAfterError = (code: string | undefined): boolean => code !== 'ERR_PROXY_INVALID_CONFIG'

/** Whether a later gateway is still worth trying with `left` ms before the step's deadline. */
export const timeForAnother = (left: number): boolean => left >= MIN_ATTEMPT_MS
