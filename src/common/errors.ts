// Turning anything thrown into the one line a step reports.

/** The message of an error, or the thrown value as text (a thrown non-Error must not pass silently). */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err))
