// The gateway's error codes are an API: docs/gateway.md's table lists each with its status, and
// nothing else (a code added to the list without its row, or a row for no code, fails here).
import { readFileSync } from 'node:fs'
import { CODE_FORM, GATEWAY_CODES, isGatewayCode } from '../../../src/common/codes.js'

describe("the gateway's error codes", () => {
  it("are the rows of docs/gateway.md's API table, each with its status", () => {
    const doc = readFileSync(new URL('../../../docs/gateway.md', import.meta.url), 'utf8')
    const rows = [...doc.matchAll(/^\| ([0-9]{3}) \| `([a-z_]+)` \| .+ \|$/gm)].map((m) => [m[2], Number(m[1])])
    expect(Object.fromEntries(rows)).toEqual(GATEWAY_CODES)
    expect(rows).toHaveLength(Object.keys(GATEWAY_CODES).length)
  })

  it('have the form a client accepts, and only they are known', () => {
    for (const code of Object.keys(GATEWAY_CODES)) expect(code).toMatch(CODE_FORM)
    expect(isGatewayCode('pool_exhausted')).toBe(true)
    expect(isGatewayCode('toString')).toBe(false)
    expect(isGatewayCode(503)).toBe(false)
  })
})
