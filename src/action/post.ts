import { runPost } from './journal/down.js'
import { exitWhenFlushed } from './exit.js'

void runPost().then(exitWhenFlushed)
