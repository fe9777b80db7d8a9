// The operators' command line: parsing (every command, its options, and each mistake named), and the
// text it prints for a list and for one lease.
import { describe, expect, it } from '@jest/globals'
import {
  age,
  formatLease,
  formatList,
  isCli,
  parseCli,
  printable,
  UsageError
} from '../../../../src/gateway/ops/cli.js'
import { selects, type LeaseView } from '../../../../src/gateway/ops/control.js'
import type { Lease } from '../../../../src/gateway/leases/store.js'

const ID = '0c47ad75-3aec-44ad-abd1-33b8c14c39ab'
const config = { config: '/etc/wireguard-gateway/gateway.yml' }

const usage = (argv: string[]): string => {
  try {
    parseCli(argv)
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError)
    return (err as Error).message.split('\n')[0] as string
  }
  throw new Error('accepted')
}

describe('gateway command line', () => {
  it('is chosen by its first word; anything else is the server', () => {
    expect(['leases', 'drain', 'undrain'].map((w) => isCli([w]))).toEqual([true, true, true])
    expect(isCli(['--config', 'gateway.yml'])).toBe(false)
    expect(isCli([])).toBe(false)
  })

  it.each([
    [['leases', 'list'], { kind: 'list', json: false }],
    [['leases', 'list', '--json'], { kind: 'list', json: true }],
    [['leases', 'show', ID], { kind: 'show', id: ID, json: false }],
    [['leases', 'revoke', ID], { kind: 'revoke', selector: { id: ID } }],
    [['leases', 'revoke', '--repository', 'octo/app'], { kind: 'revoke', selector: { repository: 'octo/app' } }],
    [['leases', 'revoke', '--run', '4242'], { kind: 'revoke', selector: { run: '4242' } }],
    [['drain'], { kind: 'drain' }],
    [['undrain'], { kind: 'undrain' }]
  ])('parses %j', (argv, command) => {
    expect(parseCli(argv)).toEqual({ command, socket: config })
  })

  it('finds the socket from --socket, or from --config’s control-socket', () => {
    expect(parseCli(['drain', '--socket', '/run/gw.sock']).socket).toEqual({ path: '/run/gw.sock' })
    expect(parseCli(['--config', '/etc/gw/prod.yml', 'leases', 'list']).socket).toEqual({ config: '/etc/gw/prod.yml' })
  })

  it.each([
    [[], 'no command'],
    [['leases'], 'unknown command "leases"'],
    [['leases', 'lst'], 'unknown command "leases lst"'],
    [['leases', 'show'], 'leases show needs a lease id (as `leases list` shows it)'],
    [['leases', 'show', '12'], 'leases show needs a lease id (as `leases list` shows it)'],
    [['leases', 'revoke'], 'leases revoke needs one of: a lease id, --repository R, --run RUN-ID'],
    [['leases', 'revoke', ID, '--run', '1'], 'leases revoke needs one of: a lease id, --repository R, --run RUN-ID'],
    [['leases', 'revoke', 'octo/app'], '"octo/app" is not a lease id'],
    [['leases', 'revoke', '--run'], '--run needs a value'],
    [['leases', 'list', '--run', '1'], '--run does not go with "leases list"'],
    [['drain', '--json'], '--json does not go with "drain"'],
    [['drain', '--force'], 'unknown option --force'],
    [['drain', 'now'], 'unknown command "drain now"'],
    [['leases', 'list', 'a', 'b'], 'unexpected "b"'],
    [['drain', '--socket', 'a', '--socket', 'b'], '--socket is given twice'],
    [['drain', '--socket', 'a', '--config', 'b'], 'give --config or --socket, not both']
  ])('refuses %j: %s', (argv, message) => {
    expect(usage(argv)).toBe(message)
  })

  it('says a duration in its two largest units', () => {
    expect([0, 999, 40_000, 312_000, 3_600_000, 3_660_000, 90_061_000, -5].map(age)).toEqual([
      '0s',
      '0s',
      '40s',
      '5m12s',
      '1h',
      '1h1m',
      '1d1h',
      '0s'
    ])
  })

  const lease: LeaseView = {
    id: ID,
    repository: 'octo/app',
    repositoryId: '5678',
    runId: '4242',
    workflowRef: 'octo/app/.github/workflows/ci.yml@refs/heads/main',
    rule: 0,
    publicKey: 'Gbmi0000000000000000000000000000000000000000=',
    addresses: ['10.99.0.7/32', 'fd99::7/128'],
    createdAt: '2026-11-26T12:00:00.000Z',
    expiresAt: '2026-11-26T18:00:00.000Z',
    latestHandshake: '2026-11-26T12:05:00.000Z'
  }
  const now = Date.parse('2026-11-26T12:05:30.000Z')

  it('lists leases as a table: repository, run, addresses, age, last handshake', () => {
    const other = { ...lease, id: ID.replace('0c47', 'ffff'), repository: 'octo/a', runId: '', latestHandshake: null }
    expect(formatList([lease, other], false, now)).toBe(
      `2 live leases
ID                                    REPOSITORY  RUN   ADDRESSES                 AGE    LAST HANDSHAKE
${ID}  octo/app    4242  10.99.0.7/32,fd99::7/128  5m30s  30s ago
ffffad75-3aec-44ad-abd1-33b8c14c39ab  octo/a      -     10.99.0.7/32,fd99::7/128  5m30s  never
`
    )
    expect(formatList([], true, now)).toBe(
      '0 live leases; draining: new leases are refused\nID  REPOSITORY  RUN  ADDRESSES  AGE  LAST HANDSHAKE\n'
    )
  })

  it("adds a GATEWAY column with PostgreSQL state; another gateway's handshake is not read here", () => {
    const here = { ...lease, gateway: 'gw-a', local: true }
    const there = {
      ...lease,
      id: ID.replace('0c47', 'ffff'),
      gateway: 'host-b/wg1',
      local: false,
      latestHandshake: null
    }
    expect(formatList([here, there], false, now)).toBe(
      `2 live leases in the fleet
ID                                    GATEWAY     REPOSITORY  RUN   ADDRESSES                 AGE    LAST HANDSHAKE
${ID}  gw-a        octo/app    4242  10.99.0.7/32,fd99::7/128  5m30s  30s ago
ffffad75-3aec-44ad-abd1-33b8c14c39ab  host-b/wg1  octo/app    4242  10.99.0.7/32,fd99::7/128  5m30s  -
`
    )
  })

  it("says when only this gateway's leases could be listed, and escapes gateway names", () => {
    const here = { ...lease, gateway: 'gw\u001b[31m', local: true }
    expect(
      formatList([here], false, now, "only this gateway's leases: the database cannot be read (ECONNREFUSED)")
    ).toBe(
      `1 live lease
only this gateway's leases: the database cannot be read (ECONNREFUSED)
ID                                    GATEWAY       REPOSITORY  RUN   ADDRESSES                 AGE    LAST HANDSHAKE
${ID}  gw\\u{1b}[31m  octo/app    4242  10.99.0.7/32,fd99::7/128  5m30s  30s ago
`
    )
  })

  it('names the gateway of a lease of the fleet', () => {
    expect(formatLease({ ...lease, gateway: 'host-b/wg1' }, now)).toContain('\ngateway:        host-b/wg1\nrule:')
  })

  it('shows one lease, ended ones with when and why', () => {
    expect(formatLease({ ...lease, endedAt: '2026-11-26T12:05:10.000Z', endReason: 'revoked' }, now)).toBe(
      `id:             ${ID}
repository:     octo/app (id 5678)
run:            4242
workflow:       octo/app/.github/workflows/ci.yml@refs/heads/main
rule:           0
public key:     Gbmi0000000000000000000000000000000000000000=
addresses:      10.99.0.7/32, fd99::7/128
created:        2026-11-26T12:00:00.000Z (5m30s ago)
expires:        2026-11-26T18:00:00.000Z
last handshake: 2026-11-26T12:05:00.000Z (30s ago)
ended:          2026-11-26T12:05:10.000Z (revoked)
`
    )
  })

  it('selects leases to revoke by id, by repository name or id, by run', () => {
    const l = { id: ID, repository: 'octo/app', repositoryId: '5678', runId: '4242' } as Lease
    expect([
      selects({ id: ID }, l),
      selects({ repository: 'octo/app' }, l),
      selects({ repository: '5678' }, l),
      selects({ repository: 'octo/other' }, l),
      selects({ run: '4242' }, l),
      selects({ run: '4243' }, l)
    ]).toEqual([true, true, true, false, true, false])
  })
})

describe('printable', () => {
  it('shows control and bidi characters of a job-chosen text as escapes, never raw', () => {
    const ref = 'octo/app/.github/workflows/ci.yml@refs/heads/x\u001b]0;owned\u0007\u202egnp.exe\u009b'
    const shown = printable(ref)
    expect(shown).toBe('octo/app/.github/workflows/ci.yml@refs/heads/x\\u{1b}]0;owned\\u{7}\\u{202e}gnp.exe\\u{9b}')
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/)
    expect(printable('refs/heads/main — ünïcode')).toBe('refs/heads/main — ünïcode')
  })
})
