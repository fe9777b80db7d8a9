import { backoffMs, parseNotice, revokePayload } from '../../../../src/gateway/fleet/notices.js'

const KEY = 'SGVsbG8gV29ybGQgSGVsbG8gV29ybGQgSGVsbG8gV28='
const ID = '0b6d5f7e-1c2a-4b3c-8d9e-0f1a2b3c4d5e'

describe('revoke notices', () => {
  it('reads back what it writes', () => {
    expect(parseNotice(revokePayload({ gateway: KEY, lease: ID }))).toEqual({ gateway: KEY, lease: ID })
  })

  it('carries the owner and the lease only', () => {
    expect(JSON.parse(revokePayload({ gateway: KEY, lease: ID }))).toEqual({
      v: 1,
      kind: 'revoke',
      gateway: KEY,
      lease: ID
    })
  })

  it.each([
    ['nothing', undefined],
    ['empty', ''],
    ['not JSON', 'revoke ' + ID],
    ['an array', '[]'],
    ['null', 'null'],
    ['another version', JSON.stringify({ v: 2, kind: 'revoke', gateway: KEY, lease: ID })],
    ['another kind', JSON.stringify({ v: 1, kind: 'drain', gateway: KEY, lease: ID })],
    ['an extra field', JSON.stringify({ v: 1, kind: 'revoke', gateway: KEY, lease: ID, secret: 'x' })],
    ['a missing lease', JSON.stringify({ v: 1, kind: 'revoke', gateway: KEY })],
    ['a key of the wrong form', JSON.stringify({ v: 1, kind: 'revoke', gateway: 'abc', lease: ID })],
    ['the all-zero key', JSON.stringify({ v: 1, kind: 'revoke', gateway: `${'A'.repeat(43)}=`, lease: ID })],
    ['a lease id of the wrong form', JSON.stringify({ v: 1, kind: 'revoke', gateway: KEY, lease: '../x' })],
    ['an upper-case id', JSON.stringify({ v: 1, kind: 'revoke', gateway: KEY, lease: ID.toUpperCase() })],
    ['an oversized payload', JSON.stringify({ v: 1, kind: 'revoke', gateway: KEY, lease: ID }) + ' '.repeat(600)]
  ])('refuses %s', (_, payload) => {
    expect(parseNotice(payload)).toBeUndefined()
  })

  it('backs off from 1 s, doubling, to at most 10 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000])
  })
})
