// Token checks against a local jose key set: every refusal the gateway must make, each compared with
// jose's own verdict for the same token and options (differential), and the discovery document.
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

/** What jose itself says of the token with the gateway's options: its error code, or 'ok'. */
async function joseVerdict(token: string): Promise<string> {
  try {
    await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256'],
      clockTolerance: CLOCK_TOLERANCE_S,
      maxTokenAge: MAX_TOKEN_AGE,
      requiredClaims: REQUIRED_CLAIMS
    })
    return 'ok'
  } catch (err) {
    return (err as { code: string }).code
  }
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
    const t = await mint()
    await expect(verify(t)).resolves.toMatchObject({ repository_id: '5678', aud: AUDIENCE })
    expect(await joseVerdict(t)).toBe('ok')
  })

  const cases: [string, () => Promise<string>, RegExp][] = [
    ['wrong aud', () => mint({ claims: { aud: 'https://other.example.com' } }), /"aud" claim/],
    ['wrong iss', () => mint({ claims: { iss: 'https://token.actions.githubusercontent.com.evil' } }), /"iss" claim/],
    ['expired', () => mint({ claims: { exp: now() - CLOCK_TOLERANCE_S - 5 } }), /expired/],
    ['nbf in the future', () => mint({ claims: { nbf: now() + CLOCK_TOLERANCE_S + 60 } }), /not valid yet/],
    ['iat far in the past', () => mint({ claims: { iat: now() - 7200 } }), /issued more than 1h ago/],
    ['a bad signature', () => mint({ key: undefined }).then((t) => `${t.slice(0, -4)}AAAA`), /signature/],
    ['signed by another key under the known kid', async () => mint({ key: other.privateKey }), /signature/],
    ['an unknown kid', () => mint({ key: other.privateKey, header: { kid: 'nobody' } }), /kid/],
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ iss: ISSUER, aud: AUDIENCE, jti: 'x', repository_id: '5678' })
          .setIssuedAt()
          .setExpirationTime('5m')
          .encode(),
      /RS256|malformed/
    ],
    [
      'HS256 keyed with the public key',
      async () => {
        const pem = new TextEncoder().encode(await exportSPKI(signing.publicKey))
        return mint({ header: { alg: 'HS256' }, key: pem })
      },
      /RS256/
    ],
    ['a missing jti', () => mint({ drop: ['jti'] }), /lacks the "jti" claim/],
    ['a missing repository_owner_id', () => mint({ drop: ['repository_owner_id'] }), /lacks the "repository_owner_id"/],
    ['garbage', async () => 'not.a.token', /malformed/],
    ['a token with a space', async () => 'a b.c', /malformed/]
  ]

  it.each(cases)('refuses %s with 401, as jose does', async (_label, make, message) => {
    const token = await make()
    const e = await refusal(token)
    expect(e.status).toBe(401)
    expect(e.message).toMatch(message)
    // Never the token or any part of it in the reason.
    for (const part of token.split('.').filter((p) => p.length > 8)) expect(e.message).not.toContain(part)
    if (/^[A-Za-z0-9_.-]+$/.test(token)) expect(await joseVerdict(token)).toBe(e.code)
  })

  it('refuses an id claim that is not a string, and several audiences', async () => {
    expect((await refusal(await mint({ claims: { repository_id: 5678 } }))).message).toMatch(
      /"repository_id" claim is not a string/
    )
    const multi = await mint({ claims: { aud: [AUDIENCE, 'https://other.example.com'] } })
    expect(await joseVerdict(multi)).toBe('ok')
    expect((await refusal(multi)).message).toMatch(/more than one audience/)
  })

  describe('through the discovery document', () => {
    let server: Server
    let base: string
    let doc: Record<string, unknown>
    const serve = async (): Promise<void> => {
      server = createServer((req, res) => {
        if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify(doc))
        if (req.url === '/keys') return res.end(JSON.stringify(jwks))
        res.statusCode = 404
        res.end()
      })
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    }

    it('finds the keys, and refuses a document naming another issuer (503, retried later)', async () => {
      await serve()
      try {
        doc = { issuer: base, jwks_uri: `${base}/keys` }
        const v = createVerifier({ issuer: base, audience: AUDIENCE })
        const t = await mint({ claims: { iss: base } })
        await expect(v(t)).resolves.toMatchObject({ iss: base })

        doc = { issuer: 'https://elsewhere.example', jwks_uri: `${base}/keys` }
        const bad = createVerifier({ issuer: base, audience: AUDIENCE })
        await expect(bad(t)).rejects.toMatchObject({ status: 503, code: 'ERR_DISCOVERY' })
        doc = { issuer: base, jwks_uri: 'http://198.51.100.9/keys' }
        const plain = createVerifier({ issuer: base, audience: AUDIENCE })
        await expect(plain(t)).rejects.toMatchObject({ status: 503, detail: expect.stringMatching(/https/) })
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
        for (const e of errs) expect(e).toMatchObject({ status: 401, code: 'ERR_JWKS_NO_MATCHING_KEY' })
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
      expect(err.status).toBe(503)
      expect(err.message).toBe('the token issuer could not be reached; try again')
      expect(err.detail).toContain(`${issuer}/.well-known/openid-configuration`)
      expect(err.detail).toMatch(/fetch failed|ECONNREFUSED/)
    })
  })
})
