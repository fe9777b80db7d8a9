import { runPost } from './down.js'
import { exitWhenFlushed } from './exit.js'

void runPost().then(exitWhenFlushed)
