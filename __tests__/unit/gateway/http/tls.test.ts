// TLS for the gateway: the recipe in docs/gateway.md makes a CA and a leaf that is no CA, for TLS
// servers, for its name; the gateway refuses a pair that does not load (naming tls.cert or tls.key)
// and warns of a certificate that is a CA.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadTls } from '../../../../src/gateway/http/tls.js'

let dir: string
const f = (name: string): string => join(dir, name)

/** The shell block of docs/gateway.md's TLS section, without its last line (the install on a server). */
function recipe(): string {
  const doc = readFileSync(new URL('../../../../docs/gateway.md', import.meta.url), 'utf8')
  const section = doc.slice(doc.indexOf('\n## TLS\n'))
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
  return block
    .split('\n')
    .filter((l) => !l.startsWith('install '))
    .join('\n')
}

const ext = (cert: string, name: string): string =>
  execFileSync('openssl', ['x509', '-in', cert, '-noout', '-ext', name], { encoding: 'utf8' })

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wgt-tls-'))
  execFileSync('sh', ['-e', '-c', recipe()], { cwd: dir, stdio: 'ignore' })
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the TLS recipe in docs/gateway.md', () => {
  it('makes a CA and, signed by it, a leaf that is no CA, for TLS servers, for its name', () => {
    const ca = new X509Certificate(readFileSync(f('ca.pem')))
    const leaf = new X509Certificate(readFileSync(f('cert.pem')))
    expect(ca.ca).toBe(true)
    expect(leaf.ca).toBe(false)
    expect(leaf.verify(ca.publicKey)).toBe(true)
    expect(leaf.checkIssued(ca)).toBe(true)
    expect(leaf.subjectAltName).toBe('DNS:vpn.example.com')
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']) // extendedKeyUsage: serverAuth only
    expect(ext(f('cert.pem'), 'basicConstraints')).toMatch(/critical\s+CA:FALSE/)
    expect(ext(f('cert.pem'), 'keyUsage')).toMatch(/critical\s+Digital Signature\s*$/)
  })

  it('gives a pair the gateway loads without a warning', () => {
    expect(loadTls({ cert: f('cert.pem'), key: f('key.pem') }).warnings).toEqual([])
  })
})

describe('the gateway’s TLS pair', () => {
  it('refuses, naming the key and the file, a pair that cannot serve', () => {
    expect(() => loadTls({ cert: f('missing.pem'), key: f('key.pem') })).toThrow(
      `tls.cert ${f('missing.pem')} cannot be read (ENOENT)`
    )
    expect(() => loadTls({ cert: f('cert.pem'), key: f('ca.key') })).toThrow(
      new RegExp(`^tls\\.key ${f('ca.key')} does not belong to tls\\.cert ${f('cert.pem')}`)
    )
    writeFileSync(f('junk.pem'), 'not a certificate\n')
    expect(() => loadTls({ cert: f('junk.pem'), key: f('key.pem') })).toThrow(/^tls\.cert .* is not a PEM certificate$/)
    // Out of date: said (served at start with a warning, refused on reload).
    const late = loadTls({ cert: f('cert.pem'), key: f('key.pem') }, Date.parse('2099-01-01'))
    expect(late.outOfDate).toMatch(/^tls\.cert .* expired on /)
    expect(late.warnings).toEqual([`${late.outOfDate}: runners refuse it; renew it`])
  })

  it('warns of a certificate that is a CA: whoever holds its key could sign for any host', () => {
    const { warnings } = loadTls({ cert: f('ca.pem'), key: f('ca.key') })
    expect(warnings).toEqual([expect.stringMatching(/is a CA certificate \(CA:TRUE\): whoever holds its key/)])
  })
})
