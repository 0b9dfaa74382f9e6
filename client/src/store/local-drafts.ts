import type { DraftToSave } from './draft-rules'

/**
 * The unsaved tail of a draft, kept in this browser when the page goes away (a reload, a closed tab) before the
 * server had it: typing pauses of less than the save delay, or a server that was down. Per person and conversation.
 */
export interface LocalDraft extends DraftToSave {
  updatedAt: string
}

const keyOf = (userId: string, conversationId: string) => `carebox.draft.${userId}.${conversationId}`

export function readLocalDraft(userId: string, conversationId: string): LocalDraft | null {
  try {
    const raw = window.localStorage.getItem(keyOf(userId, conversationId))
    if (!raw) return null
    const draft = JSON.parse(raw) as Partial<LocalDraft>
    // Anything else there (an older format, a hand edit) is not a draft to put in front of a customer.
    const isValid =
      typeof draft.text === 'string' &&
      (draft.mode === 'reply' || draft.mode === 'note') &&
      typeof draft.updatedAt === 'string' &&
      !Number.isNaN(Date.parse(draft.updatedAt))
    return isValid ? { text: draft.text!, mode: draft.mode!, updatedAt: draft.updatedAt! } : null
  } catch {
    return null
  }
}

export function writeLocalDraft(userId: string, conversationId: string, draft: LocalDraft): void {
  try {
    // An emptied draft is kept too: it is newer than the server's text, which must not come back.
    window.localStorage.setItem(keyOf(userId, conversationId), JSON.stringify(draft))
  } catch {
    // Storage full or blocked: the server's copy is all there is, as before.
  }
}

export function removeLocalDraft(userId: string, conversationId: string): void {
  try {
    window.localStorage.removeItem(keyOf(userId, conversationId))
  } catch {
    // Blocked storage holds nothing to remove.
  }
}
