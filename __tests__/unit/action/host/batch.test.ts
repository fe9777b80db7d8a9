// One `ip -j -N -batch` that changes, reads back and asks: what it printed, split by the lines it ran.
import { batchScript, splitBatch } from '../../../../src/action/host/batch.js'

const LINES = {
  change: ['route add 203.0.113.0/24 dev wg0', 'rule add not fwmark 51820 table 51820 priority 32765'],
  read: ['route show table all dev wg0', 'rule show'],
  ask: ['route get 203.0.113.1 uid 1001', 'route get 198.51.100.9 uid 1001']
}
const ok = (stdout: string, stderr = '', code = 0) => ({ code, stdout, stderr })

describe('a batch that changes, reads back and asks', () => {
  it('runs its lines in that order', () => {
    expect(batchScript(LINES)).toBe(`${[...LINES.change, ...LINES.read, ...LINES.ask].join('\n')}\n`)
  })

  it('splits the arrays printed into reads and answers (the lines that add print nothing)', () => {
    const out = splitBatch(
      LINES,
      ok('[{"dst":"203.0.113.0/24"}]\n[{"priority":0}]\n[{"dev":"wg0"}]\n[{"dev":"eth0"}]\n')
    )
    expect(out).toMatchObject({
      changed: true,
      reads: [[{ dst: '203.0.113.0/24' }], [{ priority: 0 }]],
      answers: [{ route: { dev: 'wg0' } }, { route: { dev: 'eth0' } }]
    })
  })

  it('a change that fails fails the batch, with its line', () => {
    const out = splitBatch(LINES, ok('', 'RTNETLINK answers: File exists\nCommand failed -:1\n', 1))
    expect(out).toMatchObject({ changed: false, failedAt: 1, reads: [], answers: [] })
  })

  it('a question without a route is an answer, not a failed batch', () => {
    const out = splitBatch(
      LINES,
      ok(
        '[{"dst":"203.0.113.0/24"}]\n[{"priority":0}]\n',
        'RTNETLINK answers: Network is unreachable\nCommand failed -:5\n',
        1
      )
    )
    expect(out).toMatchObject({ changed: true, answers: [{ error: 'RTNETLINK answers: Network is unreachable' }] })
  })

  it('a read that fails (the interface went away) leaves the rest unread', () => {
    const out = splitBatch(LINES, ok('', 'Device "wg0" does not exist.\nCommand failed -:3\n', 1))
    expect(out).toMatchObject({ changed: true, reads: [], answers: [] })
  })
})
