// The post step: undo exactly what main recorded. It never fails the job; problems are warnings.
import * as core from './toolkit.js'
import { loadCreated } from './state.js'
import { teardown } from './teardown.js'

export async function runPost(): Promise<void> {
  try {
    const created = loadCreated()
    if (!created) {
      core.info('Nothing to tear down: main created no tunnel')
      return
    }
    const report = await teardown(created)
    for (const w of report.warnings) core.warning(`${w} (proceeding anyway)`)
    core.debug(`post done at ${Math.round(performance.now())} ms`)
    core.info(
      report.removed.length > 0
        ? `Removed ${report.removed.join('; ')}`
        : `Nothing of ${created.iface} was left to remove`
    )
  } catch (err) {
    core.warning(`teardown failed: ${err instanceof Error ? err.message : String(err)} (proceeding anyway)`)
  }
}
