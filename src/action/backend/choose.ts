// The one decision of how to talk to an interface, made once it exists.
import type { Journal } from '../journal/journal.js'
import { isRoot } from '../host/run.js'
import type { Backend, BackendContext } from './backend.js'
import { uapiBackend } from './uapi.js'
import { wgBackend } from './wgcommand.js'

/** wireguard-go's socket is root's: speak UAPI to it when root, else go through `sudo wg`. */
export function chooseBackend(ctx: BackendContext & { userspace: boolean; wg: string; journal: Journal }): Backend {
  return ctx.userspace && isRoot()
    ? uapiBackend(ctx)
    : wgBackend({ ...ctx, who: ctx.userspace ? 'wireguard-go' : 'the kernel' })
}
