import { routingApi, type Presence, type Teammate } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export type WritingMode = 'reply' | 'note'
/** What a person can say of themselves; offline follows from closing every console. */
export type ChosenPresence = 'online' | 'away'

/** Whoever else keeps teammates' presence (the routing slice): told of every change, when it is there. */
interface PresenceListener {
  applyPresence?(userId: string, presence: Presence): void
}

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
  /** The signed-in user's availability as the server last said (auto-away included); null until known. */
  ownPresence: Presence | null
  /** Asks the server where the signed-in user stands: each time the console (re)connects. */
  loadOwnPresence(): Promise<void>
  /** Says you are online or away; resolves with an error message to show, or null. */
  setOwnPresence(presence: ChosenPresence): Promise<string | null>
  /** Someone went online, away or offline (the socket's `presence.updated`): you, or a teammate. */
  receivePresence(userId: string, presence: Presence): void
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
  // Each write of your own presence (an event, your choice) counts: a load asked before one is older news.
  let ownWrites = 0
  const setOwn = (presence: Presence) => {
    ownWrites++
    set({ ownPresence: presence })
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
    ownPresence: null,
    async loadOwnPresence() {
      const userId = get().session?.user.id
      const requestedAt = ownWrites
      if (!userId) return
      try {
        // No route answers only your own presence: the teammates' list holds you too.
        const { items } = await call(routingApi.agents)
        const me = items.find((agent) => agent.id === userId)
        if (me && ownWrites === requestedAt && get().session?.user.id === userId) setOwn(me.presence)
      } catch {
        // Unknown until the server pushes a change: the control shows offline meanwhile.
      }
    },
    async setOwnPresence(presence) {
      try {
        setOwn((await call(routingApi.setPresence, { body: { presence } })).presence)
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    receivePresence(userId, presence) {
      if (userId === get().session?.user.id) setOwn(presence)
      // Typed loosely: the routing slice may not be part of every build of the store.
      const listener = get() as PresenceListener
      listener.applyPresence?.(userId, presence)
    },
  }
}
