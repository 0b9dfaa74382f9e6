/** A "/query" or "@query" being typed: where its trigger character is, and what follows it up to the caret. */
export interface Trigger {
  start: number
  query: string
}

/**
 * The trigger the caret is in: `char` at the start of the text or after whitespace, then no whitespace up to the
 * caret. "a/b" (a path, a date) and "me@example.com" are no trigger.
 */
export function findTrigger(text: string, caret: number, char: '/' | '@'): Trigger | null {
  for (let i = caret - 1; i >= 0; i -= 1) {
    const c = text[i] ?? ''
    if (/\s/.test(c)) return null
    if (c === char) return i === 0 || /\s/.test(text[i - 1] ?? '') ? { start: i, query: text.slice(i + 1, caret) } : null
  }
  return null
}

/** The text with the trigger (up to the caret) replaced by `insertion`, and where the caret goes: after it. */
export function replaceTrigger(text: string, trigger: Trigger, caret: number, insertion: string): { text: string; caret: number } {
  return { text: text.slice(0, trigger.start) + insertion + text.slice(caret), caret: trigger.start + insertion.length }
}
