import { runMain } from './up.js'

// Exit as soon as the step is done: nothing it started needs waiting for (stdout to a pipe or a
// file is written synchronously on Linux), and lingering handles would only delay the job.
void runMain().then(() => process.exit())
