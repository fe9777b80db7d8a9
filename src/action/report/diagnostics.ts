// What the interface looked like when bring-up failed: `wg show` (keys hidden), addresses, routes.
// Only loaded on failure.
import { errorText } from '../../common/errors.js'
import { run } from '../host/run.js'
import { locate } from '../host/probe.js'

/** Replaces every secret by `***`, whatever the command printed. */
function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) if (s) out = out.split(s).join('***')
  return out
}

export async function collectDiagnostics(iface: string, secrets: readonly string[], deadline: number): Promise<string> {
  const wg = locate('wg') ?? 'wg'
  const ip = locate('ip') ?? 'ip'
  const commands: { argv: string[]; root: boolean; env?: Record<string, string> }[] = [
    { argv: [wg, 'show', iface], root: true, env: { WG_HIDE_KEYS: 'always' } },
    { argv: [ip, 'address', 'show', 'dev', iface], root: false },
    { argv: [ip, '-4', 'route', 'show', 'dev', iface], root: false },
    { argv: [ip, '-6', 'route', 'show', 'dev', iface], root: false }
  ]
  const outputs = await Promise.all(
    commands.map(async (c) => {
      const r = await run(c.argv, { root: c.root, env: c.env, deadline }).catch((e: unknown) => ({
        code: 1,
        stdout: '',
        stderr: errorText(e)
      }))
      const shownArgv = c.argv.map((a, i) => (i === 0 ? (a.split('/').pop() ?? a) : a))
      return `$ ${shownArgv.join(' ')}\n${(r.stdout + r.stderr).trim() || '(nothing)'}`
    })
  )
  return redact(outputs.join('\n\n'), secrets)
}
