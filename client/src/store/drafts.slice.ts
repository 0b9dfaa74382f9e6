import { conversationsApi, type Draft as SavedDraft, type Teammate } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { ApiError, call } from '../api/http'
import { draftToSave, isSameDraft, mentionIdsIn, type DraftToSave } from './draft-rules'
import type { AppState } from './store'

export type ComposerMode = 'reply' | 'note'

export interface Draft {
  text: string
  /**
   * Sent with the draft and kept until it is stored: sending the same text again (a double click, a retry after a
   * network error, "Send anyway") reuses it, so the server stores and sends it once. Editing the text starts a new draft.
   */
  clientKey: string | null
  isSending: boolean
  error: string | null
  /** The server's question when a teammate's reply or note landed since the thread was last seen. */
  crossing: string | null
  /** Teammates picked with @ in a note; those still named in the text are notified when it is added. */
  mentions: Teammate[]
}

/** In a public thread, the comment a reply answers and how: under it for all to see, or privately by message. */
export interface CommentReply {
  messageId: string
  visibility: 'public' | 'private'
}

export interface ConversationDrafts {
  mode: ComposerMode
  reply: Draft
  note: Draft
  /** The comment chosen to answer; null: publicly, under the customer's latest (the server's default). */
  replyTo: CommentReply | null
}

export interface DraftsSlice {
  /** Unsent replies and notes, per conversation, kept in memory while switching. */
  draftsByConversation: Record<string, ConversationDrafts>
  /** What the server keeps for each conversation, as last read or written (absent: nothing). */
  savedDrafts: Record<string, DraftToSave>
  setComposerMode(conversationId: string, mode: ComposerMode): void
  setDraftText(conversationId: string, mode: ComposerMode, text: string): void
  addDraftMention(conversationId: string, teammate: Teammate): void
  /** Chooses the comment the reply answers (and switches to writing a reply), or goes back to the default with null. */
  setReplyTarget(conversationId: string, target: CommentReply | null): void
  /** Sends the draft as a reply or a note; the stored message joins the thread at once. */
  sendDraft(conversationId: string, mode: ComposerMode, options?: { confirmCrossing?: boolean }): Promise<void>
  /** Keeps the reply unsent after the server said it would cross a teammate's. */
  cancelCrossing(conversationId: string): void
  /** The draft the server kept (opening the conversation): shown unless something is being written here already. */
  restoreDraft(conversationId: string, saved: SavedDraft | null): void
  /** Saves the draft on the server once typing pauses. */
  scheduleDraftSave(conversationId: string): void
  /** Saves at once a draft whose save is waiting (switching to another conversation). */
  flushDraftSave(conversationId: string): void
}

export const draftSaveDelayMs = 800

export const emptyDraft: Draft = { text: '', clientKey: null, isSending: false, error: null, crossing: null, mentions: [] }
export const emptyDrafts: ConversationDrafts = { mode: 'reply', reply: emptyDraft, note: emptyDraft, replyTo: null }

export const selectDrafts =
  (conversationId: string) =>
  (s: AppState): ConversationDrafts =>
    s.draftsByConversation[conversationId] ?? emptyDrafts

export const createDraftsSlice: StateCreator<AppState, [], [], DraftsSlice> = (set, get) => {
  const drafts = (id: string) => get().draftsByConversation[id] ?? emptyDrafts
  const patch = (id: string, change: (current: ConversationDrafts) => Partial<ConversationDrafts>) =>
    set((s) => {
      const current = s.draftsByConversation[id] ?? emptyDrafts
      return { draftsByConversation: { ...s.draftsByConversation, [id]: { ...current, ...change(current) } } }
    })
  const patchDraft = (id: string, mode: ComposerMode, change: (draft: Draft) => Partial<Draft>) =>
    patch(id, (current) => ({ [mode]: { ...current[mode], ...change(current[mode]) } }))
  const setSaved = (id: string, saved: DraftToSave | null) =>
    set((s) => {
      const { [id]: _previous, ...rest } = s.savedDrafts
      return { savedDrafts: saved && saved.text !== '' ? { ...rest, [id]: saved } : rest }
    })

  const postReply = (id: string, text: string, clientKey: string, confirmCrossing: boolean, replyTo: CommentReply | null) => {
    // The newest message on screen: the server asks first if a teammate answered after it.
    const seenUpTo = get().messagesByConversation[id]?.at(-1)?.id
    return call(conversationsApi.reply, {
      params: { id },
      body: {
        text,
        clientKey,
        ...(replyTo && { replyToMessageId: replyTo.messageId, visibility: replyTo.visibility }),
        ...(seenUpTo && { seenUpTo }),
        ...(confirmCrossing && { confirmCrossing }),
      },
    })
  }
  const postNote = (id: string, text: string, clientKey: string, picked: Teammate[]) => {
    const mentions = mentionIdsIn(text, picked)
    return call(conversationsApi.note, { params: { id }, body: { text, clientKey, ...(mentions.length > 0 && { mentions }) } })
  }

  const saveTimers = new Map<string, ReturnType<typeof setTimeout>>()
  const saveNow = async (id: string) => {
    clearTimeout(saveTimers.get(id))
    saveTimers.delete(id)
    const wanted = draftToSave(drafts(id))
    const saved = get().savedDrafts[id] ?? null
    if (isSameDraft(wanted, saved)) return
    setSaved(id, wanted)
    try {
      await call(conversationsApi.saveDraft, { params: { id }, body: wanted })
    } catch {
      // Still on screen: the next pause in typing tries again.
      if (isSameDraft(wanted, get().savedDrafts[id] ?? null)) setSaved(id, saved)
    }
  }

  return {
    draftsByConversation: {},
    savedDrafts: {},
    setComposerMode(conversationId, mode) {
      patch(conversationId, () => ({ mode }))
      get().scheduleDraftSave(conversationId)
    },
    setDraftText(conversationId, mode, text) {
      patchDraft(conversationId, mode, (draft) => ({ text, clientKey: text === draft.text ? draft.clientKey : null, error: null, crossing: null }))
      get().scheduleDraftSave(conversationId)
    },
    addDraftMention(conversationId, teammate) {
      patchDraft(conversationId, 'note', (draft) => ({ mentions: [...draft.mentions.filter((m) => m.id !== teammate.id), teammate] }))
    },
    setReplyTarget(conversationId, target) {
      const current = drafts(conversationId)
      const isSame = current.replyTo?.messageId === target?.messageId && current.replyTo?.visibility === target?.visibility
      // Like edited text, a reply to another comment is a new draft: a retry must not resend the one before.
      if (!isSame) patch(conversationId, () => ({ replyTo: target, reply: { ...current.reply, clientKey: null, error: null, crossing: null } }))
      if (target && current.mode !== 'reply') get().setComposerMode(conversationId, 'reply')
    },
    async sendDraft(conversationId, mode, { confirmCrossing = false } = {}) {
      const draft = drafts(conversationId)[mode]
      if (draft.isSending || draft.text.trim() === '') return
      const clientKey = draft.clientKey ?? crypto.randomUUID()
      const { text } = draft
      const { replyTo } = drafts(conversationId)
      patchDraft(conversationId, mode, () => ({ clientKey, isSending: true, error: null, crossing: null }))
      try {
        const message =
          mode === 'reply'
            ? await postReply(conversationId, text, clientKey, confirmCrossing, replyTo)
            : await postNote(conversationId, text, clientKey, draft.mentions)
        get().addMessage(message)
        // Text typed while the request was out stays, as a new draft; the next reply answers the latest comment
        // again, unless another was chosen meanwhile.
        patch(conversationId, (current) => ({
          [mode]: current[mode].text === text ? emptyDraft : { ...current[mode], clientKey: null, isSending: false },
          ...(mode === 'reply' && current.replyTo === replyTo && { replyTo: null }),
        }))
        // The server drops the draft of a sent reply but keeps a note's: either way, say what is left.
        get().scheduleDraftSave(conversationId)
      } catch (error) {
        const crossing = error instanceof ApiError && error.code === 'crossed_reply' ? error.message : null
        patchDraft(conversationId, mode, () => ({ isSending: false, crossing, error: crossing ? null : (error as Error).message }))
      }
    },
    cancelCrossing(conversationId) {
      patchDraft(conversationId, 'reply', () => ({ crossing: null }))
    },
    restoreDraft(conversationId, saved) {
      setSaved(conversationId, saved && { text: saved.text, mode: saved.mode })
      const current = drafts(conversationId)
      const isWriting = saveTimers.has(conversationId) || [current.reply, current.note].some((d) => d.text !== '' || d.isSending)
      if (!saved || isWriting) return
      patch(conversationId, () => ({ mode: saved.mode, [saved.mode]: { ...emptyDraft, text: saved.text } }))
    },
    scheduleDraftSave(conversationId) {
      clearTimeout(saveTimers.get(conversationId))
      saveTimers.set(
        conversationId,
        setTimeout(() => void saveNow(conversationId), draftSaveDelayMs),
      )
    },
    flushDraftSave(conversationId) {
      if (saveTimers.has(conversationId)) void saveNow(conversationId)
    },
  }
}
