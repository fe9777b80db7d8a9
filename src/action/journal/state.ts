// The journal as the runner keeps it between main and post: the step state `journal`, which main
// saves after every change and the runner hands to post as STATE_journal.
import * as core from '../toolkit.js'
import { Journal, parseJournal } from './journal.js'
import { STATE } from '../names.js'

const KEY = STATE.journal

/** A journal that main writes to the step state as it goes. */
export const stepJournal = (): Journal => new Journal((text) => core.saveState(KEY, text))

/** What main recorded, for post (which keeps it up to date in case it has to be run again). */
export const loadJournal = (): Journal =>
  new Journal((text) => core.saveState(KEY, text), parseJournal(core.getState(KEY)))
