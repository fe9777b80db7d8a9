// The shared process runner with real processes: a command past its limit gets SIGTERM, then
// SIGKILL if it outlives the grace period; one that honours SIGTERM ends on its own terms; a
// grandchild holding the pipes does not keep the caller waiting; the injected logger is the only
// place a command is logged.
import { describe, expect, it } from '@jest/globals'
import { KILL_GRACE_MS, minimalEnv, runProcess, startProcess } from '../../../src/common/process.js'

const env = minimalEnv('/usr/bin:/bin')
/** A shell loop that never ends by itself; `trap` is what it does on SIGTERM. */
const looping = (trap: string): string[] => [
  '/bin/sh',
  '-c',
  `trap '${trap}' TERM; echo ready; while :; do sleep 0.05; done`
]
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('the process runner', () => {
  it('runs an argument array with the environment given, and nothing of its own', async () => {
    process.env.H1_SECRET_PROBE = 'x'
    try {
      const r = await runProcess(['/usr/bin/env'], { env, limitMs: 10_000 })
      expect(r.code).toBe(0)
      expect(r.stdout.trim().split('\n').sort()).toEqual(['LC_ALL=C', 'PATH=/usr/bin:/bin'])
      expect(r.killed).toBeUndefined()
    } finally {
      delete process.env.H1_SECRET_PROBE
    }
  })

  it('writes the input, and logs the command only through the logger given', async () => {
    const logged: string[] = []
    const r = await runProcess(['/bin/cat'], { env, input: 'a b\n', limitMs: 10_000, log: (l) => logged.push(l) })
    expect(r.stdout).toBe('a b\n')
    expect(logged).toEqual([expect.stringMatching(/^run: \/bin\/cat \(at [0-9]+ ms\)$/)])
  })

  it('stops a command past its limit with SIGTERM, which it may answer', async () => {
    const r = await runProcess(looping('echo got TERM; exit 3'), { env, limitMs: 300, graceMs: 60_000 })
    expect(r.killed).toBe(true)
    // Its own exit code: it ended on SIGTERM, long before SIGKILL was due.
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('ready\ngot TERM\n')
    expect(r.stderr).toMatch(/\(killed after 0\.3 s\)$/)
  })

  it('kills a command that ignores SIGTERM once the grace period is over', async () => {
    const r = await runProcess(looping('echo ignored TERM'), { env, limitMs: 300, graceMs: 200 })
    expect(r.killed).toBe(true)
    expect(r.stdout).toBe('ready\nignored TERM\n')
    // SIGKILL: no exit code of its own.
    expect(r.code).toBe(128)
    expect(alive(r.pid as number)).toBe(false)
  })

  it('does not wait for a grandchild that holds the pipes', async () => {
    const r = await runProcess(['/bin/sh', '-c', 'sleep 30 & echo $!; wait'], { env, limitMs: 300 })
    const orphan = Number(r.stdout.trim())
    try {
      expect(r.killed).toBe(true)
      expect(orphan).toBeGreaterThan(1)
    } finally {
      if (orphan > 1) process.kill(orphan, 'SIGKILL')
    }
  })

  it('does not wait for a grandchild that holds the pipes after the command itself exited', async () => {
    const r = await runProcess(['/bin/sh', '-c', 'sleep 30 & echo $!; exit 0'], { env, limitMs: 300 })
    const orphan = Number(r.stdout.trim())
    try {
      expect(r.code).toBe(0)
      expect(r.killed).toBeUndefined()
      expect(orphan).toBeGreaterThan(1)
    } finally {
      if (orphan > 1) process.kill(orphan, 'SIGKILL')
    }
  })

  it('rejects a program that is not there, naming it and the PATH', async () => {
    await expect(runProcess(['no-such-program-h1'], { env, limitMs: 1000 })).rejects.toMatchObject({
      code: 'ENOENT',
      message: '`no-such-program-h1` was not found on PATH (/usr/bin:/bin)'
    })
  })

  it('kills after KILL_GRACE_MS when no grace period is given', async () => {
    const r = await runProcess(looping('echo ignored TERM'), { env, limitMs: 300 })
    expect(r.stdout).toBe('ready\nignored TERM\n')
    expect(r.code).toBe(128)
    expect(KILL_GRACE_MS).toBe(1000)
  })
})

describe('a process the caller talks to while it lives', () => {
  it('gets the environment given and nothing of its own, is logged through the logger, and ends when its input does', async () => {
    process.env.H1_SECRET_PROBE = 'x'
    const logged: string[] = []
    try {
      const child = startProcess(['/bin/sh', '-c', 'env; cat'], { env, log: (l) => logged.push(l), label: 'held' })
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
      const closed = new Promise<number | null>((resolve) => child.once('close', resolve))
      child.stdin.write('held\n')
      child.stdin.end()
      expect(await closed).toBe(0)
      expect(out.trim().split('\n').sort()).toEqual(
        ['LC_ALL=C', 'PATH=/usr/bin:/bin', 'PWD=' + process.cwd(), 'held'].sort()
      )
      expect(logged).toEqual([expect.stringMatching(/^run: held \(at [0-9]+ ms\)$/)])
    } finally {
      delete process.env.H1_SECRET_PROBE
    }
  })

  it('reports a program that is not there as its error event', async () => {
    const child = startProcess(['no-such-program-h1'], { env })
    await expect(new Promise((_, reject) => child.once('error', reject))).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
