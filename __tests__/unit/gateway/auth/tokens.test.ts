// Token checks against a local jose key set: every refusal the gateway must make, with jose's error
// code pinned and the API code compared with what jose's verdict calls for (written out independently
// of the gateway's explain()); the clock-skew and token-age limits probed on both sides; and the
// discovery document.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload
} from 'jose'
import {
  CLOCK_TOLERANCE_S,
  createVerifier,
  MAX_TOKEN_AGE,
  REQUIRED_CLAIMS,
  TokenError,
  type Verifier
} from '../../../../src/gateway/auth/tokens.js'
import { GATEWAY_CODES, type GatewayCode } from '../../../../src/common/codes.js'

const ISSUER = 'https://token.actions.githubusercontent.com'
const AUDIENCE = 'https://vpn.example.com'
let signing: { privateKey: CryptoKey; publicKey: CryptoKey }
let other: { privateKey: CryptoKey; publicKey: CryptoKey }
let jwks: { keys: JWK[] }
let verify: Verifier

const now = (): number => Math.floor(Date.now() / 1000)

interface Mint {
  claims?: JWTPayload
  header?: Record<string, unknown>
  key?: CryptoKey | Uint8Array
  drop?: string[]
}

async function mint({ claims = {}, header = {}, key, drop = [] }: Mint = {}): Promise<string> {
  const payload: JWTPayload = {
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    nbf: now() - 5,
    exp: now() + 300,
    jti: `jti-${Math.random()}`,
    sub: 'repo:octo/app:ref:refs/heads/main',
    repository: 'octo/app',
    repository_id: '5678',
    repository_owner_id: '1234',
    ...claims
  }
  for (const d of drop) delete payload[d]
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header }).sign(key ?? signing.privateKey)
}

/** What jose itself says of the token with the gateway's options: its error code and claim, or 'ok'. */
async function joseVerdict(
  token: string,
  currentDate?: Date
): Promise<{ code: string; claim?: string; reason?: string }> {
  try {
    await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256'],
      clockTolerance: CLOCK_TOLERANCE_S,
      maxTokenAge: MAX_TOKEN_AGE,
      requiredClaims: REQUIRED_CLAIMS,
      currentDate
    })
    return { code: 'ok' }
  } catch (err) {
    const e = err as { code: string; claim?: string; reason?: string }
    return { code: e.code, claim: e.claim, reason: e.reason }
  }
}

/**
 * The API code a jose verdict must become, written out from jose's documented errors (independent
 * of the gateway's explain()): a claim jose refused by time is a clock matter, aud and iss name
 * themselves, an unknown key is its own code, anything else about the token is token_invalid.
 */
function codeFor(v: { code: string; claim?: string; reason?: string }): GatewayCode | 'ok' {
  if (v.code === 'ok') return 'ok'
  if (v.code === 'ERR_JWT_EXPIRED') return 'token_expired'
  if (v.code === 'ERR_JWKS_NO_MATCHING_KEY') return 'token_key_unknown'
  if (v.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && v.reason === 'check_failed') {
    if (v.claim === 'aud') return 'audience_mismatch'
    if (v.claim === 'iss') return 'issuer_mismatch'
    if (v.claim === 'nbf' || v.claim === 'iat') return 'token_not_yet_valid'
  }
  return 'token_invalid'
}

async function refusal(token: string): Promise<TokenError> {
  try {
    await verify(token)
  } catch (err) {
    expect(err).toBeInstanceOf(TokenError)
    return err as TokenError
  }
  throw new Error('the token was accepted')
}

beforeAll(async () => {
  signing = await generateKeyPair('RS256', { extractable: true })
  other = await generateKeyPair('RS256', { extractable: true })
  jwks = { keys: [{ ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] }
  verify = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: createLocalJWKSet(jwks) })
})

describe('gateway token checks', () => {
  it('accepts a good token and returns its claims', async () => {
    const jti = `jti-${Math.random()}`
    const claims = await verify(await mint({ claims: { jti } }))
    expect(claims).toMatchObject({
      jti,
      repository_id: '5678',
      repository_owner_id: '1234',
      iss: ISSUER,
      aud: AUDIENCE
    })
  })

  it('takes tokens issued up to an hour ago (and 30 s), no older', async () => {
    await expect(verify(await mint({ claims: { iat: now() - 3500, exp: now() + 60 } }))).resolves.toBeDefined()
    const e = await refusal(await mint({ claims: { iat: now() - 3700, exp: now() + 60 } }))
    expect([e.code, e.message]).toEqual(['token_expired', expect.stringMatching(/over the 1h this gateway accepts/)])
  })

  /** [label, the token, the reason, jose's error code] */
  const cases: [string, () => Promise<string>, RegExp, string][] = [
    [
      'wrong aud',
      () => mint({ claims: { aud: 'https://other.example.com' } }),
      /^the token's audience "https:\/\/other\.example\.com" is not this gateway's audience "https:\/\/vpn\.example\.com"$/,
      'ERR_JWT_CLAIM_VALIDATION_FAILED'
    ],
    [
      'wrong iss',
      () => mint({ claims: { iss: 'https://token.actions.githubusercontent.com.evil' } }),
      /^the token's issuer "https:\/\/token\.actions\.githubusercontent\.com\.evil" is not this gateway's issuer "https:\/\/token\.actions\.githubusercontent\.com"$/,
      'ERR_JWT_CLAIM_VALIDATION_FAILED'
    ],
    ['expired', () => mint({ claims: { exp: now() - CLOCK_TOLERANCE_S - 5 } }), /expired/, 'ERR_JWT_EXPIRED'],
    [
      'nbf in the future',
      () => mint({ claims: { nbf: now() + CLOCK_TOLERANCE_S + 60 } }),
      /not valid for another/,
      'ERR_JWT_CLAIM_VALIDATION_FAILED'
    ],
    [
      'iat in the future',
      () => mint({ claims: { iat: now() + CLOCK_TOLERANCE_S + 60 } }),
      /issued \d+ s in the future/,
      'ERR_JWT_CLAIM_VALIDATION_FAILED'
    ],
    [
      'iat far in the past',
      () => mint({ claims: { iat: now() - 7200 } }),
      /over the 1h this gateway accepts/,
      'ERR_JWT_EXPIRED'
    ],
    [
      'a bad signature',
      () => mint({ key: undefined }).then((t) => `${t.slice(0, -4)}AAAA`),
      /signature/,
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
    ],
    [
      'signed by another key under the known kid',
      async () => mint({ key: other.privateKey }),
      /signature/,
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
    ],
    [
      'an unknown kid',
      () => mint({ key: other.privateKey, header: { kid: 'nobody' } }),
      /kid/,
      'ERR_JWKS_NO_MATCHING_KEY'
    ],
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ iss: ISSUER, aud: AUDIENCE, jti: 'x', repository_id: '5678' })
          .setIssuedAt()
          .setExpirationTime('5m')
          .encode(),
      /RS256|malformed/,
      'ERR_JOSE_ALG_NOT_ALLOWED'
    ],
    [
      'HS256 keyed with the public key',
      async () => {
        const pem = new TextEncoder().encode(await exportSPKI(signing.publicKey))
        return mint({ header: { alg: 'HS256' }, key: pem })
      },
      /RS256/,
      'ERR_JOSE_ALG_NOT_ALLOWED'
    ],
    ['a missing jti', () => mint({ drop: ['jti'] }), /lacks the "jti" claim/, 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    [
      'a missing repository_owner_id',
      () => mint({ drop: ['repository_owner_id'] }),
      /lacks the "repository_owner_id"/,
      'ERR_JWT_CLAIM_VALIDATION_FAILED'
    ],
    [
      'an iat that is not a number',
      () => mint({ claims: { iat: 'yesterday' as unknown as number } }),
      /"iat" claim/,
      'ERR_JWT_CLAIM_VALIDATION_FAILED'
    ],
    ['garbage', async () => 'not.a.token', /malformed/, 'ERR_JWS_INVALID'],
    // Refused before jose sees it: no jose code to compare.
    ['a token with a space', async () => 'a b.c', /malformed/, 'not checked']
  ]

  it.each(cases)("refuses %s with 401 and the code jose's verdict calls for", async (_label, make, message, jose) => {
    const token = await make()
    const e = await refusal(token)
    expect(e.status).toBe(401)
    expect(GATEWAY_CODES[e.code]).toBe(401)
    expect(e.message).toMatch(message)
    // Never the token or any part of it in the reason.
    for (const part of token.split('.').filter((p) => p.length > 8)) expect(e.message).not.toContain(part)
    if (/^[A-Za-z0-9_.-]+$/.test(token)) {
      const verdict = await joseVerdict(token)
      expect(e.jose).toBe(jose)
      expect(e.code).toBe(codeFor(verdict))
    } else expect(e.code).toBe('token_invalid')
  })

  describe("a clock that is off says which and by how much, from jose's own claims", () => {
    // The gateway's clock fixed at T: the issuer's clock is T + skew when it mints.
    const T = 1_800_000_000
    const at = (skew: number, lifetime = 300, nbfBefore = 5): Promise<string> =>
      mint({ claims: { iat: T + skew, nbf: T + skew - nbfBefore, exp: T + skew + lifetime } })
    let fixed: Verifier
    beforeAll(() => {
      fixed = createVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        keys: createLocalJWKSet(jwks),
        now: () => T * 1000
      })
    })
    const refused = async (token: string): Promise<TokenError> =>
      fixed(token).then(
        () => {
          throw new Error('accepted')
        },
        (e: unknown) => e as TokenError
      )

    it.each([
      // The gateway 100 s behind: GitHub's shape (nbf well before iat) fails on iat, ours on nbf.
      [
        100,
        600,
        /^the token was issued 100 s in the future by the gateway's clock \(iat\): the gateway's clock is about 100 s behind the token issuer's$/
      ],
      [
        100,
        5,
        /^the token is not valid for another 95 s by the gateway's clock \(nbf\): the gateway's clock is at least 95 s behind the token issuer's$/
      ],
      [31 + 5, 5, /not valid for another 31 s/]
    ])('%i s behind (nbf %i s before iat)', async (skew, nbfBefore, message) => {
      const token = await at(skew, 300, nbfBefore)
      const e = await refused(token)
      expect([e.status, e.code]).toEqual([401, 'token_not_yet_valid'])
      expect(e.message).toMatch(message)
      expect(e.code).toBe(codeFor(await joseVerdict(token, new Date(T * 1000))))
    })

    it('ahead: an expired token, issued N s ago, says the gateway is N s ahead if it was fetched just now', async () => {
      const token = await at(-400)
      const e = await refused(token)
      expect([e.status, e.code]).toEqual([401, 'token_expired'])
      expect(e.message).toBe(
        "the token expired 100 s ago by the gateway's clock (exp); it was issued 400 s ago (iat): if it was fetched just now, the gateway's clock is about 400 s ahead of the token issuer's"
      )
      expect(e.code).toBe(codeFor(await joseVerdict(token, new Date(T * 1000))))
    })

    it('within the tolerance of 30 s either way the token is taken', async () => {
      await expect(fixed(await at(29, 300, 0))).resolves.toMatchObject({ iat: T + 29 })
      await expect(fixed(await at(-(300 + 29)))).resolves.toMatchObject({ iat: T - 329 })
    })
  })

  it('refuses an id claim that is not a string, and several audiences naming them and its own', async () => {
    expect((await refusal(await mint({ claims: { repository_id: 5678 } }))).message).toMatch(
      /"repository_id" claim is not a string/
    )
    const multi = await mint({ claims: { aud: [AUDIENCE, 'https://other.example.com'] } })
    expect((await joseVerdict(multi)).code).toBe('ok')
    const e = await refusal(multi)
    expect(e.code).toBe('audience_mismatch')
    expect(e.message).toBe(
      'the token names 2 audiences ("https://vpn.example.com", "https://other.example.com"); this gateway accepts only its own, "https://vpn.example.com"'
    )
  })

  describe('through the discovery document', () => {
    let server: Server
    let base: string
    let doc: Record<string, unknown>
    /** Status codes to answer instead, by path. */
    let fail: Record<string, number> = {}
    const serve = async (): Promise<void> => {
      fail = {}
      server = createServer((req, res) => {
        const status = fail[req.url ?? '']
        if (status) {
          res.statusCode = status
          return res.end('{}')
        }
        if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify(doc))
        if (req.url === '/keys') return res.end(JSON.stringify(jwks))
        res.statusCode = 404
        res.end()
      })
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    }

    it('finds the keys, and refuses a document naming another issuer (503 issuer_misconfigured, retried later)', async () => {
      await serve()
      try {
        doc = { issuer: base, jwks_uri: `${base}/keys` }
        const v = createVerifier({ issuer: base, audience: AUDIENCE })
        const t = await mint({ claims: { iss: base } })
        await expect(v(t)).resolves.toMatchObject({ iss: base })

        doc = { issuer: 'https://elsewhere.example', jwks_uri: `${base}/keys` }
        const bad = createVerifier({ issuer: base, audience: AUDIENCE })
        await expect(bad(t)).rejects.toMatchObject({ status: 503, code: 'issuer_misconfigured' })
        doc = { issuer: base, jwks_uri: 'http://198.51.100.9/keys' }
        const plain = createVerifier({ issuer: base, audience: AUDIENCE })
        await expect(plain(t)).rejects.toMatchObject({
          status: 503,
          code: 'issuer_misconfigured',
          detail: expect.stringMatching(/https/)
        })
      } finally {
        server.close()
      }
    })

    it.each([
      [
        'the key endpoint answering 500',
        '/keys',
        500,
        'issuer_unreachable',
        /keys \(jwks_uri\) http:\S+\/keys answered HTTP 500/
      ],
      ['the key endpoint answering 503', '/keys', 503, 'issuer_unreachable', /answered HTTP 503/],
      ['the key endpoint answering 404', '/keys', 404, 'issuer_misconfigured', /answered HTTP 404/],
      [
        'discovery answering 502',
        '/.well-known/openid-configuration',
        502,
        'issuer_unreachable',
        /discovery document \S+ answered HTTP 502/
      ],
      ['discovery answering 404', '/.well-known/openid-configuration', 404, 'issuer_misconfigured', /answered HTTP 404/]
    ])('%s (%s answers %i): a valid token is 503 %s, never "malformed"', async (_what, path, status, code, detail) => {
      await serve()
      try {
        doc = { issuer: base, jwks_uri: `${base}/keys` }
        fail = { [path]: status }
        const v = createVerifier({ issuer: base, audience: AUDIENCE })
        const t = await mint({ claims: { iss: base } })
        const err = (await v(t).catch((e: unknown) => e)) as TokenError
        expect(err).toBeInstanceOf(TokenError)
        expect([err.status, err.code]).toEqual([503, code])
        expect(err.detail).toMatch(detail)
        expect(err.message).not.toMatch(/malformed/)
      } finally {
        server.close()
      }
    })

    it('finds a key the issuer just published at once, and fetches at most once a cooldown for unknown kids', async () => {
      let fetches = 0
      let keys: JWK[] = [...jwks.keys]
      server = createServer((req, res) => {
        if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify(doc))
        if (req.url === '/keys') {
          fetches++
          return res.end(JSON.stringify({ keys }))
        }
        res.statusCode = 404
        res.end()
      })
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      try {
        doc = { issuer: base, jwks_uri: `${base}/keys` }
        const v = createVerifier({ issuer: base, audience: AUDIENCE, refetchCooldownMs: 300 })
        await expect(v(await mint({ claims: { iss: base } }))).resolves.toMatchObject({ iss: base })
        expect(fetches).toBe(1)
        // A key published since the last fetch (within the cooldown): the token signed with it is
        // accepted, after one more fetch (jose alone would refuse it until its cooldown ended).
        keys = [...keys, { ...(await exportJWK(other.publicKey)), kid: 'k2', alg: 'RS256', use: 'sig' }]
        const rotated = await mint({ claims: { iss: base }, header: { kid: 'k2' }, key: other.privateKey })
        await expect(v(rotated)).resolves.toMatchObject({ iss: base })
        expect(fetches).toBe(2)
        // Twenty tokens with made-up kids at once: one fetch between them, each refused 401.
        const made = await Promise.all(
          Array.from({ length: 20 }, (_, i) => mint({ claims: { iss: base }, header: { kid: `nobody-${i}` } }))
        )
        const errs = await Promise.all(made.map((t) => v(t).catch((e: unknown) => e)))
        for (const e of errs) expect(e).toMatchObject({ status: 401, code: 'token_key_unknown' })
        expect(fetches).toBe(3)
      } finally {
        server.close()
      }
    })

    it('answers a client generically when the issuer cannot be reached; the operator gets the detail', async () => {
      await serve()
      const { port } = server.address() as { port: number }
      await new Promise((r) => server.close(r))
      // Nothing listens there now: the discovery fetch fails.
      const issuer = `http://127.0.0.1:${port}`
      const v = createVerifier({ issuer, audience: AUDIENCE })
      const err = (await v(await mint({ claims: { iss: issuer } })).catch((e: unknown) => e)) as TokenError
      expect(err).toBeInstanceOf(TokenError)
      expect([err.status, err.code]).toEqual([503, 'issuer_unreachable'])
      expect(err.message).toBe('the token issuer could not be reached; try again')
      expect(err.detail).toContain(`${issuer}/.well-known/openid-configuration`)
      expect(err.detail).toMatch(/fetch failed|ECONNREFUSED/)
    })
  })
})
