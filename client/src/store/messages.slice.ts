import { commentsApi, conversationsApi, type CommentActionKind, type Message, type Post } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import { keepUnchanged } from './same-data'
import type { AppState } from './store'

export interface MessagesSlice {
  /** Threads loaded so far, in platform order; a thread not loaded yet is fetched whole when opened. */
  messagesByConversation: Record<string, Message[]>
  messagesError: string | null
  loadMessages(conversationId: string): Promise<void>
  /**
   * Loads a thread not loaded yet, quietly (a failure shows nowhere): the conversations an agent is about to open
   * (the next and previous in the list, the one under the pointer) then appear at once.
   */
  prefetchMessages(conversationId: string): void
  /** A message seen for the first time (a reply's response, message.created): one already known is kept. */
  addMessage(message: Message): void
  /** A newer state of a message (message.updated, a retry's response). */
  updateMessage(message: Message): void
  /** Sends a failed reply, or one whose delivery is unknown, again; resolves with an error message to show, or null. */
  retryMessage(id: string): Promise<string | null>
  /** Records that a reply whose delivery is unknown did arrive; resolves with an error message to show, or null. */
  markMessageSent(id: string): Promise<string | null>
  /** The post each public thread opened is about, as loaded (null: it has none, or the platform did not say). */
  postsByConversation: Record<string, Post | null>
  /** Loads a public thread's post once; a failure shows nowhere (opening the thread again asks again). */
  loadPost(conversationId: string): void
  /**
   * Asks the platform to hide, unhide, delete or like a customer's comment: the comment shows it queued at once,
   * then done or failed as message.updated arrives. Resolves with the server's refusal to show, or null.
   */
  actOnComment(messageId: string, action: CommentActionKind): Promise<string | null>
}

function sortMessages(messages: Message[]): Message[] {
  return [...messages].sort((a, b) => a.sentAt.localeCompare(b.sentAt))
}

const deliveredStatuses: readonly Message['status'][] = ['sent', 'delivered', 'read']

/** A "queued" answer that lost the race with the outbox's own update must not undo it. */
function isStale(current: Message, incoming: Message): boolean {
  return incoming.status === 'queued' && deliveredStatuses.includes(current.status)
}

function findMessage(state: MessagesSlice, id: string): Message | undefined {
  for (const thread of Object.values(state.messagesByConversation)) {
    const message = thread.find((m) => m.id === id)
    if (message) return message
  }
  return undefined
}

/** Threads being prefetched: one request each, however often the pointer passes over. */
const prefetching = new Set<string>()
/** Posts being loaded: one request each, however often the thread re-renders. */
const loadingPosts = new Set<string>()

export const createMessagesSlice: StateCreator<AppState, [], [], MessagesSlice> = (set, get) => ({
  messagesByConversation: {},
  messagesError: null,
  prefetchMessages(conversationId) {
    if (get().messagesByConversation[conversationId] || prefetching.has(conversationId)) return
    prefetching.add(conversationId)
    call(conversationsApi.messages, { params: { id: conversationId } })
      .then(({ items }) => {
        // A load that started meanwhile (the conversation was opened) has the last word.
        if (!get().messagesByConversation[conversationId]) set((s) => ({ messagesByConversation: { ...s.messagesByConversation, [conversationId]: items } }))
      })
      .catch(() => {})
      .finally(() => prefetching.delete(conversationId))
  },
  async loadMessages(conversationId) {
    try {
      const { items } = await call(conversationsApi.messages, { params: { id: conversationId } })
      set((s) => {
        // Usually already prefetched and unchanged: then nothing re-renders.
        const thread = keepUnchanged(s.messagesByConversation[conversationId], items)
        if (thread === s.messagesByConversation[conversationId] && s.messagesError === null) return s
        return { messagesByConversation: { ...s.messagesByConversation, [conversationId]: thread }, messagesError: null }
      })
    } catch (error) {
      set({ messagesError: (error as Error).message })
    }
  },
  addMessage(message) {
    set((s) => {
      const current = s.messagesByConversation[message.conversationId]
      if (!current || current.some((m) => m.id === message.id)) return {}
      return { messagesByConversation: { ...s.messagesByConversation, [message.conversationId]: sortMessages([...current, message]) } }
    })
  },
  updateMessage(message) {
    set((s) => {
      const current = s.messagesByConversation[message.conversationId]
      if (!current) return {}
      const existing = current.find((m) => m.id === message.id)
      if (existing && isStale(existing, message)) return {}
      const next = existing ? current.map((m) => (m.id === message.id ? message : m)) : sortMessages([...current, message])
      return { messagesByConversation: { ...s.messagesByConversation, [message.conversationId]: next } }
    })
  },
  async retryMessage(id) {
    try {
      get().updateMessage(await call(conversationsApi.retry, { params: { id } }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async markMessageSent(id) {
    try {
      get().updateMessage(await call(conversationsApi.markSent, { params: { id } }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  postsByConversation: {},
  loadPost(conversationId) {
    if (conversationId in get().postsByConversation || loadingPosts.has(conversationId)) return
    loadingPosts.add(conversationId)
    call(commentsApi.post, { params: { id: conversationId } })
      .then(({ post }) => set((s) => ({ postsByConversation: { ...s.postsByConversation, [conversationId]: post } })))
      // The post is context, not the work: without it the thread reads as before.
      .catch(() => {})
      .finally(() => loadingPosts.delete(conversationId))
  },
  async actOnComment(messageId, action) {
    const before = findMessage(get(), messageId)
    try {
      const message = await call(commentsApi.act, { params: { id: messageId }, body: { action } })
      // The job may finish before this answer arrives: a live update that came meanwhile is as new, or newer.
      if (findMessage(get(), messageId) === before) get().updateMessage(message)
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
})
