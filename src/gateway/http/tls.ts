// The gateway's TLS certificate and key, read and checked before they are used (at start and on
// SIGHUP): a pair that cannot serve is refused with one line naming tls.cert or tls.key, so a reload
// keeps the pair in use. A certificate outside its validity is said (main.ts serves it at start with a
// warning, where runners then say it expired, and refuses it on reload); one that is itself a CA is
// served, with a warning.
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createSecureContext } from 'node:tls'

/** What every secure context of the gateway's server is made with (besides the pair). */
export const TLS_CONTEXT = { minVersion: 'TLSv1.2' } as const

export interface TlsPair {
  cert: Buffer
  key: Buffer
  /** Things to tell the operator about a pair that works (one line each). */
  warnings: string[]
  /** Set when the certificate is not valid now (expired, or not yet valid): why, in one line. */
  outOfDate?: string
}

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err)

/**
 * Reads `tls.cert` (a PEM chain, the server's certificate first) and `tls.key`, and checks that they
 * make a context (the key matches the certificate) and that the certificate is valid now. Throws an
 * Error with one line naming the key of the configuration and the file, never the file's content.
 */
export function loadTls(files: { cert: string; key: string }, now = Date.now()): TlsPair {
  const read = (name: 'cert' | 'key'): Buffer => {
    try {
      return readFileSync(files[name])
    } catch (err) {
      throw new Error(`tls.${name} ${files[name]} cannot be read (${codeOf(err)})`, { cause: err })
    }
  }
  const cert = read('cert')
  const key = read('key')
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch (err) {
    throw new Error(`tls.cert ${files.cert} is not a PEM certificate`, { cause: err })
  }
  try {
    createSecureContext({ ...TLS_CONTEXT, cert, key })
  } catch (err) {
    const code = codeOf(err)
    throw new Error(
      /MISMATCH/i.test(code)
        ? `tls.key ${files.key} does not belong to tls.cert ${files.cert} (${code})`
        : `tls.key ${files.key} cannot be used with tls.cert ${files.cert} (${code})`,
      { cause: err }
    )
  }
  const outOfDate =
    Date.parse(x509.validTo) < now
      ? `tls.cert ${files.cert} expired on ${x509.validTo}`
      : Date.parse(x509.validFrom) > now
        ? `tls.cert ${files.cert} is not valid until ${x509.validFrom}`
        : undefined
  const warnings: string[] = outOfDate ? [`${outOfDate}: runners refuse it; renew it`] : []
  if (x509.ca)
    warnings.push(
      `tls.cert ${files.cert} is a CA certificate (CA:TRUE): whoever holds its key can sign certificates for any host, which runners trusting it accept. Serve a leaf (CA:FALSE, serverAuth) signed by a CA (docs/gateway.md, TLS)`
    )
  return outOfDate ? { cert, key, warnings, outOfDate } : { cert, key, warnings }
}
