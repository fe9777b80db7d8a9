import { exitWhenFlushed } from './exit.js'
import { runMain } from './up.js'

void runMain().then(exitWhenFlushed)
