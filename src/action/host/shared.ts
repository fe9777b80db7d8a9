// State of the whole network namespace that overlapping jobs share: net.ipv4.conf.all.src_valid_mark,
// which every IPv4 full tunnel needs at 1. It must end as the first of ours found it, whichever of
// ours ends last. No job can know that alone (the second finds the first's 1), so the jobs share a
// record: what the first found, and who still needs it.
//
// Why this design:
// - A file under /run (tmpfs: gone at boot, like the state it describes), one per network namespace
//   (the sysctl is per namespace; /run is shared by all of them), root's and readable by all: any
//   step reads it without sudo, only root writes it.
// - Changes are made under an exclusive flock(2) on /run/wireguard-tunnel/lock, held by a `flock`
//   process for the few milliseconds a change takes. The kernel drops an flock when its holder
//   exits, so a killed step never leaves the lock held (a lock file or directory would need stale
//   detection, which races).
// - Owners by identity, not by name: a random id (in the job's journal, so its post removes exactly
//   it) with the interface's name and ifindex. An owner whose interface no longer has that ifindex
//   here is gone (its job was killed before post, or its wireguard-go died): it needs nothing, and
//   the next of ours to look drops it. A value found other than 1 proves no live owner still relies
//   on the record, so the record starts afresh from what is found.
// - The record is written before the sysctl is set, and the owner id is in the journal before the
//   record: whatever is interrupted, post finds the owner and the record finds the original.
import { holdLock, mustRun, writeAsRoot, type RunOptions } from './run.js'
import { fileText, ifindex, netns, pathExists, srcValidMark } from './probe.js'
import { SRC_VALID_MARK } from '../journal/journal.js'
import { echo } from './echo.js'

export const STATE_DIR = '/run/wireguard-tunnel'
const LOCK = `${STATE_DIR}/lock`

/** A job that needs the value: its id, and the interface by which it is known to be alive. */
export interface Owner {
  id: string
  iface: string
  ifindex: number
}

/** The shared record of one namespace: what the first of ours found, and who needs it now. */
export interface SharedRecord {
  was: string
  owners: Owner[]
}

/** A fresh owner id: 128 random bits, as hex (node:crypto loaded at first use, as the bundle's start never needs it). */
export const newOwnerId = (): string => process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex')

/** The record's file for this network namespace (`net:[4026531840]` → `src_valid_mark.4026531840.json`). */
export function recordPath(ns = netns()): string {
  const id = /\[([0-9]+)\]/.exec(ns ?? '')?.[1] ?? 'unknown'
  return `${STATE_DIR}/src_valid_mark.${id}.json`
}

/** A record as read, or undefined when there is none or it cannot be trusted. */
export function parseRecord(text: string): SharedRecord | undefined {
  try {
    const v = JSON.parse(text) as Partial<SharedRecord>
    if (typeof v.was !== 'string' || !/^[0-9]$/.test(v.was) || !Array.isArray(v.owners)) return undefined
    const owners = (v.owners as unknown[]).filter((o): o is Owner => {
      const x = (typeof o === 'object' ? o : null) as Partial<Owner> | null
      return (
        typeof x?.id === 'string' &&
        /^[0-9a-f]{32}$/.test(x.id) &&
        typeof x.iface === 'string' &&
        Number.isInteger(x.ifindex)
      )
    })
    return { was: v.was, owners }
  } catch {
    return undefined
  }
}

/**
 * The record once `me` joins, seeing the value `current`: the original stays what the first of
 * the live owners found; with none alive, a value other than 1 is the original, and a 1 is what
 * the last record found (its owners left without restoring it), else it was 1 before any of ours.
 */
export function joined(
  record: SharedRecord | undefined,
  current: string,
  me: Owner,
  alive: (o: Owner) => boolean
): SharedRecord {
  const live = (record?.owners ?? []).filter((o) => o.id !== me.id && alive(o))
  if (live.length > 0 && record) return { was: record.was, owners: [...live, me] }
  if (current !== '1') return { was: current, owners: [me] }
  return { was: record?.was ?? '1', owners: [me] }
}

/** What leaving does: keep the record (others need the value), or restore `was` and drop the record. */
export type Leaving = { keep: SharedRecord } | { restore: string }

/** The record once owner `id` leaves (the dead dropped with it). */
export function left(record: SharedRecord | undefined, id: string, alive: (o: Owner) => boolean): Leaving | undefined {
  if (record === undefined) return undefined
  const live = record.owners.filter((o) => o.id !== id && alive(o))
  return live.length > 0 ? { keep: { was: record.was, owners: live } } : { restore: record.was }
}

/** An owner is alive while its interface has the recorded ifindex in this namespace. */
const alive = (o: Owner): boolean => ifindex(o.iface) === o.ifindex

const readRecord = (path: string): SharedRecord | undefined => parseRecord(fileText(path) ?? '')

/**
 * Writes (or with undefined removes) the record, as root (run.ts). Through sudo it is written in
 * place, under the lock: a write cut short leaves a record that parseRecord refuses, and then the
 * value found is taken as the original, which at worst leaves 1 where wg-quick would too.
 */
const writeRecord = (path: string, record: SharedRecord | undefined, limits: RunOptions): Promise<void> =>
  writeAsRoot(path, record === undefined ? undefined : `${JSON.stringify(record)}\n`, limits)

/** Runs `change` holding the lock; the folder is made first where it is missing. */
async function locked<T>(limits: Pick<RunOptions, 'deadline'>, change: () => Promise<T>): Promise<T> {
  if (!pathExists(STATE_DIR)) await mustRun(['mkdir', '-p', '-m', '755', STATE_DIR], { root: true, ...limits })
  const release = await holdLock(LOCK, { root: true, ...limits })
  try {
    return await change()
  } finally {
    await release()
  }
}

/** Sets the value, echoed as wg-quick echoes its own (the record and its lock are this action's bookkeeping, like its journal: not echoed). */
async function setValue(value: string, limits: Pick<RunOptions, 'deadline'>): Promise<void> {
  const argv = ['sysctl', '-q', '-w', `${SRC_VALID_MARK}=${value}`]
  echo(argv)
  await mustRun(argv, { root: true, ...limits })
}

/** Joins the record as `me` and sets src_valid_mark to 1 where it is not. */
export async function needSrcValidMark(me: Owner, limits: Pick<RunOptions, 'deadline'>): Promise<void> {
  const path = recordPath()
  await locked(limits, async () => {
    const current = srcValidMark()
    await writeRecord(path, joined(readRecord(path), current, me, alive), limits)
    if (current !== '1') await setValue('1', limits)
  })
}

/**
 * Leaves the record as owner `id`; the last of ours to leave puts back what the first found,
 * unless `othersNeedIt` (a full tunnel that is not ours, which wg-quick never accounts for): then
 * the value and the record stay, for the next of ours to settle. Resolves with what it did.
 */
export async function releaseSrcValidMark(
  id: string,
  othersNeedIt: () => Promise<boolean>,
  limits: Pick<RunOptions, 'deadline' | 'timeoutMs'>
): Promise<{ kept: 'ours' | 'theirs' } | { restored: string } | { unchanged: true }> {
  const path = recordPath()
  // No folder, no record (main stopped before it made one): nothing to take the lock for.
  if (!pathExists(STATE_DIR)) return { unchanged: true }
  return locked(limits, async () => {
    const record = readRecord(path)
    const leaving = left(record, id, alive)
    if (leaving === undefined) return { unchanged: true }
    if ('keep' in leaving) {
      await writeRecord(path, leaving.keep, limits)
      return { kept: 'ours' }
    }
    if (await othersNeedIt()) {
      await writeRecord(path, { was: leaving.restore, owners: [] }, limits)
      return { kept: 'theirs' }
    }
    if (srcValidMark() !== leaving.restore) await setValue(leaving.restore, limits)
    await writeRecord(path, undefined, limits)
    return { restored: leaving.restore }
  })
}
