import { runPost } from './down.js'

// Exit as soon as the step is done (see main.ts).
void runPost().then(() => process.exit())
