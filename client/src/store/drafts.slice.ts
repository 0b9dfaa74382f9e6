import { conversationsApi, filesApi, type OutboundFileKind, type Draft as SavedDraft, type Teammate, type UploadedFile } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { ApiError, call, upload } from '../api/http'
import { draftToSave, isSameDraft, mentionIdsIn, type DraftToSave } from './draft-rules'
import { readLocalDraft, removeLocalDraft, writeLocalDraft } from './local-drafts'
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
  /** The file going with a reply (one per reply); notes carry none. */
  attachment: DraftAttachment | null
}

/** A file attached to a reply: uploaded at once, sent by its id with the reply. */
export interface DraftAttachment {
  /** Tells this attachment from the one that replaces it, so a late upload answer lands on the right one. */
  key: string
  /** The file as picked, dropped or pasted: its preview is made from it. */
  file: File
  name: string
  /** The type checked against the channel's rules (the file's own, or guessed from its extension). */
  mimeType: string
  kind: OutboundFileKind
  size: number
  /** The server's record once the upload is done; null while uploading, or when it was refused. */
  uploaded: UploadedFile | null
  isUploading: boolean
  /** The server's refusal (its own checks of type, size and contents), or the network's. */
  error: string | null
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

/** Where a draft put back on opening a conversation came from, and when it was written: the composer says so. */
export interface RestoredDraft {
  from: 'device' | 'server'
  at: string
}

export interface DraftsSlice {
  /** Unsent replies and notes, per conversation, kept in memory while switching. */
  draftsByConversation: Record<string, ConversationDrafts>
  /** What the server keeps for each conversation, as last read or written (absent: nothing). */
  savedDrafts: Record<string, DraftToSave>
  /** Drafts put back on opening their conversation, until the text is edited. */
  restoredDrafts: Record<string, RestoredDraft>
  setComposerMode(conversationId: string, mode: ComposerMode): void
  setDraftText(conversationId: string, mode: ComposerMode, text: string): void
  addDraftMention(conversationId: string, teammate: Teammate): void
  /** Chooses the comment the reply answers (and switches to writing a reply), or goes back to the default with null. */
  setReplyTarget(conversationId: string, target: CommentReply | null): void
  /**
   * Attaches a file to the reply and uploads it at once, replacing any file attached before. The caller has checked
   * it against the channel's rules already (`checkFile`); the server checks again, and its contents too.
   */
  attachFile(conversationId: string, file: File, checked: { mimeType: string; kind: OutboundFileKind }): Promise<void>
  /** Drops the reply's file, stopping its upload if one is under way. */
  removeAttachment(conversationId: string): void
  /**
   * Sends the draft as a reply or a note; the stored message joins the thread at once. Resolves true once the
   * server took it (a reply is then queued for the platform), false when nothing went.
   */
  sendDraft(conversationId: string, mode: ComposerMode, options?: { confirmCrossing?: boolean }): Promise<boolean>
  /** Keeps the reply unsent after the server said it would cross a teammate's. */
  cancelCrossing(conversationId: string): void
  /**
   * The draft the server kept (opening the conversation), or the one this browser kept when the page went away
   * before the server had it, whichever was written last: shown unless something is being written here already.
   */
  restoreDraft(conversationId: string, saved: SavedDraft | null): void
  /** Saves the draft on the server once typing pauses. */
  scheduleDraftSave(conversationId: string): void
  /** Saves at once a draft whose save is waiting (switching to another conversation). */
  flushDraftSave(conversationId: string): void
}

export const draftSaveDelayMs = 800

export const emptyDraft: Draft = { text: '', clientKey: null, isSending: false, error: null, crossing: null, mentions: [], attachment: null }
export const emptyDrafts: ConversationDrafts = { mode: 'reply', reply: emptyDraft, note: emptyDraft, replyTo: null }

/** What is left of a draft once its sent text and file are stored: anything changed while the request was out. */
function unsentPart(current: Draft, sentText: string, sentAttachment: DraftAttachment | null): Draft {
  const attachment = current.attachment === sentAttachment ? null : current.attachment
  if (current.text === sentText && !attachment) return emptyDraft
  return { ...current, text: current.text === sentText ? '' : current.text, clientKey: null, isSending: false, attachment }
}

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

  /** Changes the reply's attachment if it is still `key` (it may have been removed or replaced meanwhile). */
  const patchAttachment = (id: string, key: string, change: Partial<DraftAttachment>) =>
    patchDraft(id, 'reply', (draft) => (draft.attachment?.key === key ? { attachment: { ...draft.attachment, ...change } } : {}))
  const uploads = new Map<string, AbortController>()
  const stopUpload = (id: string) => {
    uploads.get(id)?.abort()
    uploads.delete(id)
  }

  const postReply = (id: string, text: string, clientKey: string, confirmCrossing: boolean, replyTo: CommentReply | null, fileId: string | undefined) => {
    // The newest message on screen: the server asks first if a teammate answered after it.
    const seenUpTo = get().messagesByConversation[id]?.at(-1)?.id
    return call(conversationsApi.reply, {
      params: { id },
      body: {
        text,
        clientKey,
        ...(fileId && { fileId }),
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

  const clearRestored = (id: string) => {
    if (!get().restoredDrafts[id]) return
    set((s) => {
      const { [id]: _cleared, ...restoredDrafts } = s.restoredDrafts
      return { restoredDrafts }
    })
  }

  // Leaving the page (reload, closed tab) may beat the save: what the server does not have yet stays in this browser.
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', () => {
      const { session, draftsByConversation, savedDrafts } = get()
      if (!session) return
      const updatedAt = new Date().toISOString()
      for (const [id, current] of Object.entries(draftsByConversation)) {
        const wanted = draftToSave(current)
        if (!isSameDraft(wanted, savedDrafts[id] ?? null)) writeLocalDraft(session.user.id, id, { ...wanted, updatedAt })
      }
    })
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
    restoredDrafts: {},
    setComposerMode(conversationId, mode) {
      patch(conversationId, () => ({ mode }))
      get().scheduleDraftSave(conversationId)
    },
    setDraftText(conversationId, mode, text) {
      patchDraft(conversationId, mode, (draft) => ({ text, clientKey: text === draft.text ? draft.clientKey : null, error: null, crossing: null }))
      clearRestored(conversationId)
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
    async attachFile(conversationId, file, { mimeType, kind }) {
      stopUpload(conversationId)
      const controller = new AbortController()
      uploads.set(conversationId, controller)
      const key = crypto.randomUUID()
      const attachment: DraftAttachment = { key, file, name: file.name, mimeType, kind, size: file.size, uploaded: null, isUploading: true, error: null }
      // Like edited text, another file makes another reply: a retry must not resend the one before.
      patchDraft(conversationId, 'reply', () => ({ attachment, clientKey: null, error: null, crossing: null }))
      try {
        const uploaded = await upload(filesApi.upload, { params: { id: conversationId }, query: { name: file.name, type: mimeType } }, file, {
          signal: controller.signal,
        })
        patchAttachment(conversationId, key, { uploaded, isUploading: false })
      } catch (error) {
        if (!controller.signal.aborted) patchAttachment(conversationId, key, { isUploading: false, error: (error as Error).message })
      } finally {
        if (uploads.get(conversationId) === controller) uploads.delete(conversationId)
      }
    },
    removeAttachment(conversationId) {
      stopUpload(conversationId)
      patchDraft(conversationId, 'reply', () => ({ attachment: null, clientKey: null, error: null, crossing: null }))
    },
    async sendDraft(conversationId, mode, { confirmCrossing = false } = {}) {
      const draft = drafts(conversationId)[mode]
      const attachment = mode === 'reply' ? draft.attachment : null
      // A file still uploading, or refused, cannot go yet: the composer says why Send waits.
      if (attachment && !attachment.uploaded) return false
      if (draft.isSending || (draft.text.trim() === '' && !attachment)) return false
      const clientKey = draft.clientKey ?? crypto.randomUUID()
      // With a file, blank text is no text: nothing to send after it.
      const text = attachment && draft.text.trim() === '' ? '' : draft.text
      const { replyTo } = drafts(conversationId)
      patchDraft(conversationId, mode, () => ({ clientKey, isSending: true, error: null, crossing: null }))
      try {
        const message =
          mode === 'reply'
            ? await postReply(conversationId, text, clientKey, confirmCrossing, replyTo, attachment?.uploaded?.id)
            : await postNote(conversationId, text, clientKey, draft.mentions)
        get().addMessage(message)
        // Text typed while the request was out stays, as a new draft; the next reply answers the latest comment
        // again, unless another was chosen meanwhile. The file went with the reply.
        patch(conversationId, (current) => ({
          [mode]: unsentPart(current[mode], draft.text, attachment),
          ...(mode === 'reply' && current.replyTo === replyTo && { replyTo: null }),
        }))
        clearRestored(conversationId)
        // The server drops the draft of a sent reply but keeps a note's: either way, say what is left.
        get().scheduleDraftSave(conversationId)
        return true
      } catch (error) {
        const crossing = error instanceof ApiError && error.code === 'crossed_reply' ? error.message : null
        patchDraft(conversationId, mode, () => ({ isSending: false, crossing, error: crossing ? null : (error as Error).message }))
        return false
      }
    },
    cancelCrossing(conversationId) {
      patchDraft(conversationId, 'reply', () => ({ crossing: null }))
    },
    restoreDraft(conversationId, saved) {
      setSaved(conversationId, saved && { text: saved.text, mode: saved.mode })
      const current = drafts(conversationId)
      const isWriting = saveTimers.has(conversationId) || [current.reply, current.note].some((d) => d.text !== '' || d.isSending || d.attachment !== null)
      const userId = get().session?.user.id
      const local = userId ? readLocalDraft(userId, conversationId) : null
      // Read once: from now on the draft in memory (and its saves) is the truth.
      if (userId && local) removeLocalDraft(userId, conversationId)
      if (isWriting) return
      const isLocalNewer = local !== null && (!saved || Date.parse(local.updatedAt) > Date.parse(saved.updatedAt))
      if (isLocalNewer && local.text.trim() === '') {
        // Emptied here after the server's save: the server's copy goes, rather than coming back.
        get().scheduleDraftSave(conversationId)
        return
      }
      const restored = isLocalNewer ? { ...local, from: 'device' as const } : saved && { ...saved, from: 'server' as const }
      if (!restored) return
      patch(conversationId, () => ({ mode: restored.mode, [restored.mode]: { ...emptyDraft, text: restored.text } }))
      set((s) => ({ restoredDrafts: { ...s.restoredDrafts, [conversationId]: { from: restored.from, at: restored.updatedAt } } }))
      // The server missed the newer text: it gets it now, so another device sees it too.
      if (isLocalNewer) get().scheduleDraftSave(conversationId)
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
