// Finding the programs the tunnel needs, and installing the missing ones with apt in one
// transaction, non-interactively.
import * as core from '../toolkit.js'
import { echo } from './echo.js'
import { mustRun, run } from './run.js'
import { locate, searchPath } from './probe.js'

type Tool = 'wg' | 'ip' | 'wireguard-go'

/** The Debian/Ubuntu package that provides each tool. */
const PACKAGE: Record<Tool, string> = { wg: 'wireguard-tools', ip: 'iproute2', 'wireguard-go': 'wireguard-go' }

/** apt-get, with everything that keeps it from prompting or waiting on needrestart. */
function aptCommand(args: string[]): string[] {
  return [
    'apt-get',
    '-q',
    '-o',
    'DPkg::Lock::Timeout=120',
    '-o',
    'Dpkg::Options::=--force-confdef',
    '-o',
    'Dpkg::Options::=--force-confold',
    ...args
  ]
}

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_SUSPEND: '1', NEEDRESTART_MODE: 'l' }
/** apt may wait up to 2 minutes for its lock, then download: 10 minutes at most. */
const APT_LIMIT = { timeoutMs: 600_000 }

async function aptInstall(packages: string[]): Promise<void> {
  const install = aptCommand(['install', '-y', '--no-install-recommends', ...packages])
  core.info(`Installing ${packages.join(', ')} with apt-get`)
  echo(install)
  const first = await run(install, { root: true, env: APT_ENV, ...APT_LIMIT })
  if (first.code === 0) return
  core.info('apt-get install failed; refreshing the package lists and trying once more')
  const update = aptCommand(['update'])
  echo(update)
  await run(update, { root: true, env: APT_ENV, ...APT_LIMIT })
  echo(install)
  await mustRun(install, { root: true, env: APT_ENV, ...APT_LIMIT })
}

/**
 * Paths of the given tools, installing the missing ones when `install` is true; otherwise an error
 * that names each missing tool and where it was looked for.
 */
export async function ensureTools<T extends Tool>(tools: readonly T[], install: boolean): Promise<Record<T, string>> {
  const paths = {} as Record<T, string>
  const missing: T[] = []
  for (const t of tools) {
    const path = locate(t)
    if (path === undefined) missing.push(t)
    else paths[t] = path
  }
  if (missing.length === 0) return paths
  const names = missing.map((t) => `\`${t}\``).join(' and ')
  const packages = missing.map((t) => PACKAGE[t])
  if (!install)
    throw new Error(
      `${names} not found (looked in ${searchPath().join(':')}); install ${packages.join(' and ')} first or set install: true`
    )
  if (locate('apt-get') === undefined)
    throw new Error(
      `${names} not found and apt-get is not available to install it: install ${packages.join(' and ')} in an earlier step`
    )
  await aptInstall(packages)
  for (const t of missing) {
    const path = locate(t)
    if (path === undefined)
      throw new Error(`\`${t}\` still not found after installing ${PACKAGE[t]} (looked in ${searchPath().join(':')})`)
    paths[t] = path
  }
  return paths
}
