// Value parsers shared by the per-field inputs (inputs.ts) and the `config` input (wgquick.ts), and
// the one error type both throw; the grammar of each value is the one both programs share
// (src/common/grammar.ts). Pure; nothing here imports inputs.ts or wgquick.ts.
import { isHostName, isKey, parseHostPort, type HostPort } from '../../common/grammar.js'
import { canonicalAddress, parsePrefix, type Prefix } from '../../common/ip.js'
import type { Endpoint, EndpointSource, Table } from './tunnel.js'
import { INPUT } from '../names.js'

/**
 * A bad input: names the input (and the line of a multi-line input) and what is wrong, never the
 * value of a secret.
 */
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string,
    readonly line?: number
  ) {
    super(`Input "${input}": ${line === undefined ? '' : `line ${line}: `}${problem}`)
    this.name = 'InputError'
  }
}

/**
 * The error for an endpoint found wrong after parsing (a host name that does not resolve), naming
 * where it was written: `Input "config": line 9: …` or `Input "endpoint": …`. The problem must not
 * contain the host when the source is `config` (the whole input is a secret).
 */
export function endpointError(source: EndpointSource, problem: string): InputError {
  return new InputError(source.input, problem, source.input === INPUT.config ? source.line : undefined)
}

const isB64 = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47

/**
 * Whether a text holds something that may be key material: a run of 20 or more base64 characters
 * mixing digits and both cases, or of 40 or more of any kind (a hex key is 64). One pass.
 */
export function looksSecret(text: string): boolean {
  let run = 0
  let mix = 0
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0
    if (i < text.length && isB64(c)) {
      run++
      mix |= c >= 48 && c <= 57 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 97 && c <= 122 ? 4 : 0
      continue
    }
    if (run >= 40 || (run >= 20 && mix === 7)) return true
    run = 0
    mix = 0
  }
  return false
}

/**
 * A non-secret value quoted for an error message: escaped and cut short. A value that looks like key
 * material is not shown at all: a key pasted into the wrong input is still a key.
 */
export function shown(value: string): string {
  if (looksSecret(value)) return 'the value given (not shown: it looks like a key)'
  const cut = value.length > 40 ? `${value.slice(0, 37)}...` : value
  return JSON.stringify(cut)
}

export function parseKey(input: string, value: string, secret: boolean): string {
  const v = value.trim()
  if (isKey(v)) return v
  const what = secret ? 'the value given is not one (it is not shown: it is a secret)' : `got ${shown(v)}`
  throw new InputError(
    input,
    `must be a WireGuard key: 44 characters of base64 ending in "=" (as printed by wg genkey / wg pubkey); ${what}`
  )
}

/** PKCS#8 framing of a raw X25519 private key (RFC 8410). */
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex')

/**
 * The public key of a WireGuard private key: X25519 of the base point, as `wg pubkey`. Node's
 * native X25519 takes under a millisecond where pure-JS tweetnacl takes 30 ms cold; the unit tests
 * hold it equal to tweetnacl's scalarMult.base.
 */
export function publicKeyOf(privateKey: string): string {
  // node:crypto takes milliseconds to load: only a step given a private key pays for it.
  const { createPrivateKey, createPublicKey } = process.getBuiltinModule('node:crypto')
  const key = createPrivateKey({
    key: Buffer.concat([X25519_PKCS8, Buffer.from(privateKey, 'base64')]),
    format: 'der',
    type: 'pkcs8'
  })
  return Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x as string, 'base64url').toString('base64')
}

/** Items of a comma- or newline-separated list, trimmed, empties dropped. */
function listItems(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

export function parsePrefixes(input: string, value: string): Prefix[] {
  return listItems(value).map((item) => {
    const p = parsePrefix(item)
    if (typeof p === 'string')
      throw new InputError(
        input,
        `${looksSecret(item) ? 'an entry (not shown: it looks like a key) is not an address' : p} (expected an address like 192.0.2.2/24 or 2001:db8::2/64)`
      )
    return p
  })
}

/** `host:port`, `1.2.3.4:port` or `[v6]:port` into host and port; undefined when not that shape. */
export function splitHostPort(input: string, text: string): HostPort | undefined {
  const hp = parseHostPort(text)
  if (hp === undefined || !('problem' in hp)) return hp
  switch (hp.problem) {
    case 'brackets':
      throw new InputError(input, `${shown(text)}: only IPv6 addresses go in brackets`)
    case 'host':
      throw new InputError(input, `${shown(hp.host)} is not a valid host name or IP address`)
    case 'port':
      throw new InputError(input, `port in ${shown(text)} must be a number from 1 to 65535`)
  }
}

/** The `endpoint` input: HOST:PORT, an IPv6 address in brackets (unambiguous, as the README asks). */
export function parseEndpoint(input: 'endpoint', value: string): Endpoint {
  const v = value.trim()
  const hp = splitHostPort(input, v)
  if (!hp) {
    throw new InputError(
      input,
      `${shown(v)} must be HOST:PORT, e.g. vpn.example.com:51820, 192.0.2.1:51820 or [2001:db8::1]:51820`
    )
  }
  return { ...hp, source: { input } }
}

/** DNS = as wg-quick splits it: addresses are servers, names are search domains. */
export function splitDns(input: string, value: string): { dns: string[]; dnsSearch: string[] } {
  const out = { dns: [] as string[], dnsSearch: [] as string[] }
  for (const v of listItems(value)) {
    const ip = canonicalAddress(v)
    if (ip !== undefined) out.dns.push(ip)
    else if (isHostName(v)) out.dnsSearch.push(v)
    else
      throw new InputError(
        input,
        `${shown(v)} is neither an IP address (a DNS server) nor a domain name (a search domain)`
      )
  }
  return out
}

export function parseInteger(input: string, value: string, min: number, max: number): number {
  const v = value.trim()
  if (!/^[0-9]+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new InputError(input, `must be a whole number from ${min} to ${max}; got ${shown(v)}`)
  }
  return Number(v)
}

export function parseChoice<T extends string>(input: string, value: string, choices: readonly T[]): T {
  const v = value.trim().toLowerCase()
  const hit = choices.find((c) => c === v)
  if (hit === undefined) throw new InputError(input, `must be one of ${choices.join(', ')}; got ${shown(value.trim())}`)
  return hit
}

/** wg-quick's Table: auto, off, main (254) or a table number; undefined when it is none of those. */
export function parseTable(value: string): Table | undefined {
  const v = value.trim().toLowerCase()
  if (v === 'auto' || v === 'off') return v
  if (v === 'main') return 254
  if (/^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= 0xffffffff) return Number(v)
  return undefined
}
