// What the runner must be told to mask, computed from the inputs before anything is validated or
// logged. The runner masks only exact strings: a secret input as a whole, and (as we tell it) each of
// its lines. A configuration with a typo may print, or lead a tool to print, a key in a shape that
// is neither, so every key-shaped run of `config` is masked too. One pass per line, no regex with
// nested quantifiers: a 60,000-line configuration is read in a few milliseconds.
import { INPUT } from '../names.js'

/** How the action reads an input: the runner's getInput, or a map in tests. */
export type GetInput = (name: string) => string

const SECRET_INPUTS = [INPUT.privateKey, INPUT.presharedKey, INPUT.config] as const

/** Shorter strings are not masked: a mask of a common fragment would blank out half the log. */
const MIN = 8

/**
 * Words of the wg-quick format, never masked even when a line holds nothing else (masking
 * "Interface" would blank out our own messages about `[Interface]`).
 */
const WORDS = new Set([
  'interface',
  'peer',
  'privatekey',
  'presharedkey',
  'publickey',
  'allowedips',
  'endpoint',
  'persistentkeepalive',
  'listenport',
  'fwmark',
  'address',
  'table',
  'saveconfig',
  'preup',
  'postup',
  'predown',
  'postdown'
])

/** Names that put what follows them in a secret's position, however the separator is mangled. */
const SECRET_NAMES = ['privatekey', 'presharedkey', 'private', 'preshared', 'psk']

/**
 * Maximal base64 runs with the "=" after them; hex runs of 64 or more; a run of 42 or more. The
 * lookbehinds start a match only where a run starts, so each scan is linear.
 */
const RUN = /[A-Za-z0-9+/]+=*/g
const HEX_RUN = /(?<![0-9a-fA-F])[0-9a-fA-F]{64,}/g
/**
 * Runs of 16 or more: masked when they look random (letters with digits, "+" or "/", or 20 or more
 * of both cases), as pieces of base64 and hex keys do and words do not.
 */
const RUN16 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{16}/
const RUNS16 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{16,}=*/g
/** A line whose key name is a blob (a digit, "+" or "/" in it), e.g. `<part of a key> = 1`. */
const NAME_BLOB = /^[A-Za-z]*[0-9+/][A-Za-z0-9+/]*\s*=/
const mixed = (s: string): boolean =>
  /[A-Za-z]/.test(s) && (/[0-9+/]/.test(s) || (s.length >= 20 && /[A-Z]/.test(s) && /[a-z]/.test(s)))
/** A line whose value sits in a private or preshared key's position, however the separator is written. */
const SECRET_NAME = /^(?:private|preshared|psk)/i
/** A line that is a blob on its own: base64 and spaces, "=" only at the end, e.g. a key without its name. */
const BARE = /^[A-Za-z0-9+/\s]+=*$/

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13)

/** Whether the (trimmed) line puts its value in a secret's position: a private or preshared key, or a bare blob. */
function isSecretLine(line: string): boolean {
  return SECRET_NAME.test(line) || BARE.test(line)
}

/** The maximal base64 runs of a line: the run, and the run with the "=" signs after it. */
function* runsOf(line: string): Generator<{ core: string; padded: string }> {
  for (const m of line.matchAll(RUN)) {
    const padded = m[0]
    let end = padded.length
    while (end > 0 && padded.charCodeAt(end - 1) === 61) end--
    yield { core: padded.slice(0, end), padded }
  }
}

/**
 * The key forms of a 43-character base64 core: alone, with its "=", and (for a key in a secret's
 * position, as the UAPI would write it) the 32 bytes as hex.
 */
function keyForms(core: string, padded: string, add: (s: string) => void, hex: boolean): void {
  add(core)
  const key = padded.length === 44 ? padded : `${core}=`
  add(key)
  if (hex) add(Buffer.from(key, 'base64').toString('hex'))
}

/** A key-shaped run (42 characters or more, with its "=" signs): it and the keys it may hold. */
function longRun(core: string, padded: string, add: (s: string) => void, hex: boolean): void {
  add(core)
  add(padded)
  if (core.length === 43) keyForms(core, padded, add, hex)
  if (core.length > 43) {
    // A key glued to other text: the 43 characters at either end are one.
    const end = core.slice(-43)
    keyForms(end, `${end}${padded.slice(core.length)}`, add, hex)
    const start = core.slice(0, 43)
    keyForms(start, start, add, hex)
  }
}

/**
 * The secret-shaped strings of one line of a secret input. `all`: the line is a secret's (a key
 * input's, or a line in a key's position): it, its value without spaces and every base64 run in it
 * count. Otherwise only key-shaped runs (42 characters or more) and 64-character hex runs: the
 * runner masks a registered string wherever it appears, so the line around them needs no mask.
 */
function lineSecrets(line: string, all: boolean, add: (s: string) => void): void {
  if (all) {
    add(line)
    // wg(8) drops every space of a line: `PrivateKey = QF3d… xyz=` is one key, and the value joined is it.
    const eq = line.indexOf('=')
    const value = (eq < 0 ? line : line.slice(eq + 1)).trim()
    if (/\s/.test(value)) {
      const joined = value.replace(/\s+/g, '')
      add(joined)
      for (const { core, padded } of runsOf(joined)) if (core.length >= 42) longRun(core, padded, add, true)
    }
    for (const { core, padded } of runsOf(line)) {
      const lower = core.toLowerCase()
      if (WORDS.has(lower)) continue
      add(core)
      add(padded)
      // A key glued to its name (`PrivateKeyQF3d…`): the part after the name.
      const name = SECRET_NAMES.find((n) => lower.startsWith(n))
      if (name !== undefined) add(core.slice(name.length))
      if (core.length >= 42) longRun(core, padded, add, true)
    }
  } else {
    for (const [padded] of line.matchAll(RUNS16)) {
      let end = padded.length
      while (end > 0 && padded.charCodeAt(end - 1) === 61) end--
      const core = padded.slice(0, end)
      if (core.length >= 42) longRun(core, padded, add, false)
      else if (mixed(core)) {
        add(core)
        add(padded)
      }
    }
    // A blob where a key's name goes: part of a key on a line of its own, cut at an "=".
    const blob = NAME_BLOB.exec(line)
    if (blob) add(blob[0].slice(0, -1).trim())
  }
  if (line.length < 64) return
  for (const [hex] of line.matchAll(HEX_RUN)) {
    add(hex)
    add(hex.slice(0, 64))
    add(hex.slice(-64))
    add(Buffer.from(hex.slice(0, 64), 'hex').toString('base64'))
  }
}

/** Every string to mask for one secret input's value. */
function inputSecrets(name: string, value: string, add: (s: string) => void): void {
  if (value === '') return
  add(value)
  const key = name !== INPUT.config
  const seen = new Set<string>()
  for (const raw of value.split('\n')) {
    const line = raw.trim()
    if (line === '' || seen.has(line)) continue
    seen.add(line)
    // Most lines of a configuration hold nothing key-shaped: two native scans rule them out.
    const secretLine = key || isSecretLine(line)
    if (secretLine || RUN16.test(line) || NAME_BLOB.test(line)) lineSecrets(line, secretLine, add)
  }
}

/**
 * Every string the runner must be told to mask (`::add-mask::`), before anything else runs: each
 * secret input whole and each of its lines that carries a secret; every base64 run of a key input;
 * in `config`, every key-shaped run anywhere (44 characters with or without "=", 43, glued to other
 * text, 64 hex) and every run of 8 or more in a private or preshared key's position however it is
 * written (`PrivateKey: X`, `privatekey<TAB>X`, a bare line); and the hex form of each key.
 */
export function secretsToMask(get: GetInput): string[] {
  const out = new Set<string>()
  const add = (s: string): void => {
    if (s.length < MIN) return
    const t = isSpace(s.charCodeAt(0)) || isSpace(s.charCodeAt(s.length - 1)) ? s.trim() : s
    if (t.length >= MIN && (t.length > 19 || !WORDS.has(t.toLowerCase()))) out.add(t)
  }
  for (const name of SECRET_INPUTS) {
    const value = get(name)
    if (value === '') continue
    // The whole value as given, whatever its length: the runner masks it as one string.
    out.add(value)
    inputSecrets(name, value, add)
  }
  return [...out]
}

/**
 * The key-shaped runs of a configuration (not its lines or the whole), for deciding whether a word
 * an error would quote might be part of a key.
 */
export function keyRunsOf(text: string): string[] {
  const out = new Set<string>()
  const add = (s: string): void => {
    if (s.length >= MIN) out.add(s)
  }
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    const secretLine = isSecretLine(line)
    if (!secretLine && !RUN16.test(line)) continue
    for (const { core } of runsOf(line))
      if (secretLine || core.length >= 42 || (core.length >= 16 && mixed(core))) add(core)
    for (const [hex] of line.matchAll(HEX_RUN)) add(hex)
  }
  return [...out]
}
