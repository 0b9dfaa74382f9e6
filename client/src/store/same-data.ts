/**
 * The server's answers are plain JSON: two equal answers serialise the same. Keeping the object already held when an
 * answer repeats it lets React skip re-rendering what did not change (a refetched thread, a read marker's summary).
 */
export function isSameData(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}

/** `after`, with each item equal to one in `before` replaced by that one; `before` itself when nothing changed. */
export function keepUnchanged<T extends { id: string }>(before: T[] | undefined, after: T[]): T[] {
  if (!before) return after
  const held = new Map(before.map((item) => [item.id, item]))
  let isChanged = before.length !== after.length
  const merged = after.map((item, index) => {
    const old = held.get(item.id)
    const kept = old && isSameData(old, item) ? old : item
    if (kept !== before[index]) isChanged = true
    return kept
  })
  return isChanged ? merged : before
}
