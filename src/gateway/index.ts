// The bundle's entry: the Node.js version is checked before anything else is loaded (the rest needs
// Node 24's node:sqlite, which older versions fail to load with a stack trace), then main runs.
import { nodeProblem } from './preflight.js'

const problem = nodeProblem(process.versions.node, process.execPath)
if (problem) {
  process.stderr.write(`wireguard-gateway: ${problem}\n`)
  process.exit(1)
}
await import('./main.js')
