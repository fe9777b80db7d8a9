// The post step: undo exactly what main recorded, checking each thing's identity first. It never
// fails the job; problems are warnings.
import { errorText } from '../../common/errors.js'
import { loadJournal } from './state.js'
import { teardown } from './teardown.js'
import { commandGroup, endCommandGroup } from '../host/echo.js'
import * as core from '../toolkit.js'

export async function runPost(): Promise<void> {
  try {
    const journal = loadJournal()
    if (journal.empty) {
      core.info('Nothing to tear down: main created no tunnel')
      return
    }
    const name = journal.find('interface')?.name ?? 'the tunnel'
    commandGroup(`Tearing down ${name}`)
    const report = await teardown(journal)
    endCommandGroup()
    // The lease goes after the tunnel: the gateway then removes a peer that is already silent.
    if (journal.find('lease')) {
      const { releaseLeases } = await import('../lease/lease.js')
      const leases = await releaseLeases(journal)
      report.removed.push(...leases.released)
      report.warnings.push(...leases.warnings)
    }
    for (const w of report.warnings) core.warning(`${w} (proceeding anyway)`)
    for (const k of report.kept) core.info(k)
    core.debug(`post done at ${Math.round(process.uptime() * 1000)} ms`)
    core.info(
      report.removed.length > 0 ? `Removed ${report.removed.join('; ')}` : `Nothing of ${name} was left to remove`
    )
  } catch (err) {
    endCommandGroup()
    core.warning(`teardown failed: ${errorText(err)} (proceeding anyway)`)
  }
}
