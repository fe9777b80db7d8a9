// A refusal with the HTTP status it is answered with: thrown by the request handling and by the
// leases it calls (a refused grant or release), answered as `{"error": message}` by the server.

export class HttpError extends Error {
  constructor(
    /** The HTTP status of the answer, e.g. 401, 403, 409, 503. */
    readonly status: number,
    /** The reason the client reads: never a token, a secret or a claim's value. */
    message: string
  ) {
    super(message)
    this.name = 'HttpError'
  }
}
