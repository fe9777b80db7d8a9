import { LOCK_NAMESPACE, lockKey } from '../../../../src/gateway/fleet/standby.js'
import { createHash } from 'node:crypto'

const KEY = 'SGVsbG8gV29ybGQgSGVsbG8gV29ybGQgSGVsbG8gV28='

describe('lockKey', () => {
  it('is the first 8 bytes of SHA-256 over the namespace and the key, as a signed bigint', () => {
    const digest = createHash('sha256').update(`wireguard-gateway/standby/v1:${KEY}`).digest()
    expect(LOCK_NAMESPACE).toBe('wireguard-gateway/standby/v1:')
    expect(lockKey(KEY)).toBe(digest.readBigInt64BE(0))
  })

  it('is stable across versions (a changed derivation would let two processes act at once during an upgrade)', () => {
    expect(lockKey(KEY)).toBe(-6382690497427938969n)
  })

  it('differs between keys', () => {
    expect(lockKey(KEY)).not.toBe(lockKey(KEY.replace('S', 'T')))
  })
})
