// The runner's protocol, the few parts this action uses: inputs from INPUT_* variables, commands on
// stdout (`::add-mask::`, `::debug::`, `::warning::`, `::error::`, groups), outputs and state as
// file commands, and the job summary file. Written here instead of importing @actions/core, whose
// bundle (an HTTP client for OIDC among it) tripled the step's cold start; see the README's
// benchmark. Same encoding as @actions/core (a unit test holds it to that).
import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'

/** An input as the runner passes it: `INPUT_` + the name upper-cased, spaces as `_`; trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

/** Escapes a command's message: `%`, CR and LF. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function command(name: string, message: string): void {
  process.stdout.write(`::${name}::${escapeData(message)}${EOL}`)
}

/** Registers a secret with the runner, which masks it in every later log line (and swallows this one). */
export const setSecret = (secret: string): void => command('add-mask', secret)
export const debug = (message: string): void => command('debug', message)
export const warning = (message: string): void => command('warning', message)
export const info = (message: string): void => void process.stdout.write(`${message}${EOL}`)
export const startGroup = (name: string): void => command('group', name)
export const endGroup = (): void => command('endgroup', '')

/** Marks the step failed with one error line. */
export function setFailed(message: string): void {
  process.exitCode = 1
  command('error', message)
}

/** A fresh delimiter. Not from node:crypto, which costs post 6 ms to load: a value that contains it is refused anyway. */
function newDelimiter(): string {
  return `ghadelimiter_${Date.now().toString(36)}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
}

/** A file command (`GITHUB_OUTPUT`, `GITHUB_STATE`): `name<<DELIMITER`, the value, the delimiter. */
export function fileCommandText(name: string, value: string, delimiter = newDelimiter()): string {
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`the value of ${name} contains its delimiter`)
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`
}

function fileCommand(variable: string, name: string, value: string): void {
  const file = process.env[variable]
  if (file) appendFileSync(file, fileCommandText(name, value), 'utf8')
}

export const setOutput = (name: string, value: string): void => fileCommand('GITHUB_OUTPUT', name, value)
export const saveState = (name: string, value: string): void => fileCommand('GITHUB_STATE', name, value)
/** State saved by main, which the runner passes to post as `STATE_name`. */
export const getState = (name: string): string => process.env[`STATE_${name}`] ?? ''

/** Appends Markdown to the job summary, when the runner gives one. */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (file) appendFileSync(file, `${markdown}${EOL}`, 'utf8')
}
