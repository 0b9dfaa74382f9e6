/** What an action resolves with when it answers something to show once (a link, a secret): the value, or an error message. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string }

export function failed(error: unknown): { ok: false; error: string } {
  return { ok: false, error: (error as Error).message }
}
