// A refusal with the code of the API it is answered with: thrown by the request handling and by the
// leases it calls (a refused grant or release), answered by the server as
// `{"error": message, "code": code}` with the code's status (src/common/codes.ts).
import { GATEWAY_CODES, type GatewayCode } from '../../common/codes.js'

export class HttpError extends Error {
  /** The HTTP status the code is sent with. */
  readonly status: number
  constructor(
    /** The API's code for the refusal, which the action chooses its advice by. */
    readonly code: GatewayCode,
    /** The reason people read: never a token, a secret or a claim's secret value. */
    message: string
  ) {
    super(message)
    this.name = 'HttpError'
    this.status = GATEWAY_CODES[code]
  }
}
