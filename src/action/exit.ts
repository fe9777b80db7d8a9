// Ending a step's process once its work is done.

/**
 * Exits as soon as stdout and stderr have taken everything written: nothing the step started needs
 * waiting for, and lingering handles would only delay the job. Exiting straight away could lose the
 * last lines (the `::error::` one among them) when stdout is a slow pipe or socket.
 */
export async function exitWhenFlushed(): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((r) => s.write('', () => r()))))
  process.exit()
}
