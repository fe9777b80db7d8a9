// A small JSON-over-HTTP(S) client for the gateway and the runner's token service: node:http(s)
// (lighter to load than fetch), bounded by the step's deadline and by answer size. Certificates
// are judged by Node's store plus NODE_EXTRA_CA_CERTS, as for any Node program.

export interface HttpAnswer {
  status: number
  text: string
  /** The body as JSON, when it is JSON. */
  json?: unknown
}

interface HttpOptions {
  method?: 'GET' | 'POST' | 'DELETE'
  headers?: Record<string, string>
  body?: string
  /** Epoch milliseconds by which the answer must be in. */
  deadline: number
}

/** Answers larger than this are cut: a lease is a few hundred bytes. */
const MAX_ANSWER = 64 * 1024

export async function httpRequest(url: URL, opts: HttpOptions): Promise<HttpAnswer> {
  const lib = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
  const ms = Math.max(1, opts.deadline - Date.now())
  return new Promise((resolve, reject) => {
    const headers = {
      ...opts.headers,
      ...(opts.body ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {})
    }
    const req = lib.request(url, { method: opts.method ?? 'GET', headers, timeout: ms }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => {
        text += d
        if (text.length > MAX_ANSWER) req.destroy(new Error(`answer larger than ${MAX_ANSWER} bytes`))
      })
      res.on('end', () => {
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({ status: res.statusCode ?? 0, text, json })
      })
      res.on('error', reject)
    })
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })),
      ms
    )
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })))
    req.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    req.on('close', () => clearTimeout(timer))
    req.end(opts.body)
  })
}
