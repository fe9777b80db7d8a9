// What the runner must be told to mask, computed from the inputs before anything is validated or
// logged. The runner masks only exact strings: a secret input as a whole, and (as we tell it) each of
// its lines. A configuration with a typo may print, or lead a tool to print, a key in a shape that
// is neither, so every key-shaped run of `config` is masked too. One pass per line, no regex with
// nested quantifiers: a 60,000-line configuration is read in a few milliseconds.

/** How the action reads an input: the runner's getInput, or a map in tests. */
export type GetInput = (name: string) => string

export const SECRET_INPUTS = ['private-key', 'preshared-key', 'config'] as const

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

const isB64 = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 11 || c === 12
const isNameChar = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32 || c === 9 || c === 95 || c === 45

/** A maximal run of base64 characters, with the "=" signs that follow it. */
interface Run {
  core: string
  padded: string
}

/** The maximal base64 runs of a line, in one pass. */
function runsOf(line: string): Run[] {
  const runs: Run[] = []
  let i = 0
  while (i < line.length) {
    if (!isB64(line.charCodeAt(i))) {
      i++
      continue
    }
    const start = i
    while (i < line.length && isB64(line.charCodeAt(i))) i++
    const end = i
    while (i < line.length && line.charCodeAt(i) === 61) i++
    runs.push({ core: line.slice(start, end), padded: line.slice(start, i) })
  }
  return runs
}

/** The maximal hex runs of at least 64 characters inside a text (a hex key, as the UAPI writes it). */
function hexRuns(text: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < text.length) {
    if (!isHex(text.charCodeAt(i))) {
      i++
      continue
    }
    const start = i
    while (i < text.length && isHex(text.charCodeAt(i))) i++
    if (i - start >= 64) out.push(text.slice(start, i))
  }
  return out
}

/** The letters of a line's leading name (`Private Key:` → `privatekey`), lower case. */
function leadingName(line: string): string {
  let name = ''
  for (let i = 0; i < line.length && isNameChar(line.charCodeAt(i)); i++) {
    const c = line.charCodeAt(i)
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) name += String.fromCharCode(c | 32)
    if (name.length > 40) break
  }
  return name
}

/** Whether a line is a single blob: base64 characters, "=" and spaces only, e.g. a key on its own. */
function isBare(line: string): boolean {
  let seen = false
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i)
    if (isB64(c)) seen = true
    else if (c !== 61 && !isSpace(c)) return false
  }
  return seen
}

/** Whether the line puts its value in a secret's position: a private or preshared key, or a bare blob. */
export function isSecretLine(line: string): boolean {
  const name = leadingName(line.trimStart())
  return SECRET_NAMES.some((n) => name.startsWith(n)) || isBare(line)
}

/** The key forms of a 43-character base64 core: with its "=", and the 32 bytes as hex. */
function keyForms(core: string, add: (s: string) => void): void {
  add(core)
  add(`${core}=`)
  add(Buffer.from(`${core}=`, 'base64').toString('hex'))
}

/**
 * The secret-shaped strings of one line of a secret input. `all`: every base64 run counts (a key
 * input, or a line in a key's position); otherwise only key-shaped runs (43 or 44 characters, or
 * longer ones that may hide a key glued to other text) and 64-character hex runs.
 */
function lineSecrets(line: string, all: boolean, add: (s: string) => void): void {
  let found = false
  for (const { core, padded } of runsOf(line)) {
    const lower = core.toLowerCase()
    if (all && !WORDS.has(lower)) {
      add(core)
      add(padded)
      // A key glued to its name (`PrivateKeyQF3d…`): the part after the name.
      const name = SECRET_NAMES.find((n) => lower.startsWith(n))
      if (name !== undefined) add(core.slice(name.length))
      found = true
    }
    if (core.length >= 42) {
      found = true
      add(core)
      add(padded)
      if (core.length === 43) keyForms(core, add)
      if (core.length > 43) {
        // A key glued to other text: the 43 characters at either end are one.
        keyForms(core.slice(-43), add)
        keyForms(core.slice(0, 43), add)
      }
    }
  }
  for (const hex of hexRuns(line)) {
    found = true
    add(hex)
    add(hex.slice(0, 64))
    add(hex.slice(-64))
    add(Buffer.from(hex.slice(0, 64), 'hex').toString('base64'))
  }
  if (found || all) {
    add(line)
    // wg(8) drops every space of a line: `PrivateKey = QF3d… xyz=` is one key, and the value joined is it.
    const eq = line.indexOf('=')
    const value = eq < 0 ? line : line.slice(eq + 1)
    let joined = ''
    for (let i = 0; i < value.length; i++) if (!isSpace(value.charCodeAt(i))) joined += value[i]
    add(joined)
  }
}

/** Every string to mask for one secret input's value. */
export function inputSecrets(name: string, value: string, add: (s: string) => void): void {
  if (value === '') return
  add(value)
  const key = name !== 'config'
  for (const raw of value.split('\n')) {
    const line = raw.trim()
    if (line === '') continue
    lineSecrets(line, key || isSecretLine(line), add)
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
    const t = s.trim()
    if (t.length >= MIN && !WORDS.has(t.toLowerCase())) out.add(t)
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
    for (const { core } of runsOf(line)) if (secretLine || core.length >= 42) add(core)
    for (const hex of hexRuns(line)) add(hex)
  }
  return [...out]
}
