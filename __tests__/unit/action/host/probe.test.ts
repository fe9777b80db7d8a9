// The read-only probes against this machine's own /proc and /sys: the identities teardown trusts
// (a process's pid with its start time, a file's inode and change time) read as the kernel gives
// them, checked against a reading of /proc done here independently.
import { linkSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  fileId,
  ifindex,
  linkExists,
  locate,
  netns,
  sameProcess,
  searchPath,
  waitUntil,
  wireguardGoCandidates
} from '../../../../src/action/host/probe.js'

/** Field 22 of /proc/PID/stat (the start time), counted after the command name's last ')'. */
const startOf = (pid: number): string => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string
}

describe('probes', () => {
  it('a process is this pid with this start time: the same pid with another start is another process', () => {
    const me = { pid: process.pid, start: startOf(process.pid) }
    expect(sameProcess(me)).toBe(true)
    expect(sameProcess({ ...me, start: String(Number(me.start) + 1) })).toBe(false)
    expect(sameProcess({ pid: 2 ** 22 + 1, start: me.start })).toBe(false)
  })

  it('a file replaced under the same name is another file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgt-probe-'))
    try {
      const path = join(dir, 'wg0.sock')
      expect(fileId(path)).toBeUndefined()
      writeFileSync(path, '')
      const first = fileId(path)
      expect(first).toMatch(/^[0-9]+:[0-9]+:[0-9]+$/)
      expect(fileId(path)).toBe(first)
      // The old file kept under another name, so that the new one cannot be given its inode.
      linkSync(path, join(dir, 'old'))
      rmSync(path)
      writeFileSync(path, '')
      expect(fileId(path)).not.toBe(first)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('an interface by name and index in this namespace', () => {
    expect(linkExists('lo')).toBe(true)
    expect(ifindex('lo')).toBe(Number(readFileSync('/sys/class/net/lo/ifindex', 'utf8')))
    expect(linkExists('wgt-none0')).toBe(false)
    expect(ifindex('wgt-none0')).toBeUndefined()
    expect(netns()).toMatch(/^net:\[[0-9]+\]$/)
  })

  it('finds programs on PATH and in the sbin directories an unprivileged PATH lacks', () => {
    const saved = process.env.PATH
    process.env.PATH = '/usr/bin:/bin'
    try {
      expect(searchPath()).toEqual(['/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin', '/sbin'])
      expect(locate('sh')).toMatch(/^\/(usr\/)?bin\/sh$/)
      expect(locate('wgt-no-such-tool')).toBeUndefined()
    } finally {
      process.env.PATH = saved
    }
  })

  it('no wireguard-go serves a name nobody uses', () => {
    expect(wireguardGoCandidates('wgt-none0', 0)).toEqual([])
  })

  it('waits until a condition holds, or says it did not', async () => {
    let calls = 0
    expect(await waitUntil(() => ++calls === 3, 60_000, 0)).toBe(true)
    expect(calls).toBe(3)
    expect(await waitUntil(() => false, 0)).toBe(false)
  })
})
