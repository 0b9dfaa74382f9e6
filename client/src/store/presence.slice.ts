import type { Teammate } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import type { AppState } from './store'

export type WritingMode = 'reply' | 'note'

export interface Typist {
  user: Teammate
  mode: WritingMode
}

export interface PresenceSlice {
  /** Who has each conversation open right now, as the server last said (yourself included). */
  viewersByConversation: Record<string, Teammate[]>
  /** Teammates writing in each conversation, for a few seconds after each typing event. */
  typistsByConversation: Record<string, Typist[]>
  setViewers(conversationId: string, viewers: Teammate[]): void
  receiveTyping(conversationId: string, user: Teammate, mode: WritingMode): void
  /** They stopped: their message arrived, or nothing was heard for a while. */
  stopTyping(conversationId: string, userId: string): void
  /** Offline: who is where is no longer known. */
  clearPresence(): void
}

/** How long "is typing" stays after the last event; consoles send one at most every 2 s while typing. */
export const typingShownMs = 4000

export const createPresenceSlice: StateCreator<AppState, [], [], PresenceSlice> = (set, get) => {
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const key = (conversationId: string, userId: string) => `${conversationId}:${userId}`
  const forget = (conversationId: string, userId: string) => {
    clearTimeout(timers.get(key(conversationId, userId)))
    timers.delete(key(conversationId, userId))
  }

  return {
    viewersByConversation: {},
    typistsByConversation: {},
    setViewers(conversationId, viewers) {
      set((s) => ({ viewersByConversation: { ...s.viewersByConversation, [conversationId]: viewers } }))
    },
    receiveTyping(conversationId, user, mode) {
      forget(conversationId, user.id)
      timers.set(
        key(conversationId, user.id),
        setTimeout(() => get().stopTyping(conversationId, user.id), typingShownMs),
      )
      set((s) => {
        const others = (s.typistsByConversation[conversationId] ?? []).filter((t) => t.user.id !== user.id)
        return { typistsByConversation: { ...s.typistsByConversation, [conversationId]: [...others, { user, mode }] } }
      })
    },
    stopTyping(conversationId, userId) {
      forget(conversationId, userId)
      const typists = get().typistsByConversation[conversationId]
      if (!typists?.some((t) => t.user.id === userId)) return
      set((s) => ({ typistsByConversation: { ...s.typistsByConversation, [conversationId]: typists.filter((t) => t.user.id !== userId) } }))
    },
    clearPresence() {
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
      set({ viewersByConversation: {}, typistsByConversation: {} })
    },
  }
}
