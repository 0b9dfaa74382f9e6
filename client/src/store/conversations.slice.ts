import { conversationsApi, type ConversationSummary, type Message } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export interface ConversationsSlice {
  connected: boolean
  conversationsById: Record<string, ConversationSummary>
  /** Ids, most recent activity first. */
  conversationOrder: string[]
  conversationsError: string | null
  isLoadingConversations: boolean
  openConversationId: string | null
  messagesByConversation: Record<string, Message[]>
  setConnected(connected: boolean): void
  loadConversations(): Promise<void>
  openConversation(id: string | null): void
  loadMessages(conversationId: string): Promise<void>
  upsertConversation(conversation: ConversationSummary): void
  receiveMessage(conversation: ConversationSummary, message: Message): void
  updateMessage(message: Message): void
}

function byRecency(a: ConversationSummary, b: ConversationSummary): number {
  return b.lastMessageAt.localeCompare(a.lastMessageAt) || b.id.localeCompare(a.id)
}

function sortMessages(messages: Message[]): Message[] {
  return [...messages].sort((a, b) => a.sentAt.localeCompare(b.sentAt))
}

export const createConversationsSlice: StateCreator<AppState, [], [], ConversationsSlice> = (set, get) => ({
  connected: false,
  conversationsById: {},
  conversationOrder: [],
  conversationsError: null,
  isLoadingConversations: false,
  openConversationId: null,
  messagesByConversation: {},
  setConnected(connected) {
    set({ connected })
  },
  async loadConversations() {
    set({ isLoadingConversations: true })
    try {
      const page = await call(conversationsApi.list, { query: { limit: 100 } })
      set({
        conversationsById: Object.fromEntries(page.items.map((c) => [c.id, c])),
        conversationOrder: page.items.map((c) => c.id),
        conversationsError: null,
        isLoadingConversations: false,
      })
    } catch (error) {
      set({ conversationsError: (error as Error).message, isLoadingConversations: false })
    }
  },
  openConversation(id) {
    set({ openConversationId: id })
    if (id) void get().loadMessages(id)
  },
  async loadMessages(conversationId) {
    try {
      const { items } = await call(conversationsApi.messages, { params: { id: conversationId } })
      set((s) => ({ messagesByConversation: { ...s.messagesByConversation, [conversationId]: items } }))
    } catch (error) {
      set({ conversationsError: (error as Error).message })
    }
  },
  upsertConversation(conversation) {
    set((s) => {
      const conversationsById = { ...s.conversationsById, [conversation.id]: conversation }
      const conversationOrder = Object.values(conversationsById).sort(byRecency).map((c) => c.id)
      return { conversationsById, conversationOrder }
    })
  },
  receiveMessage(conversation, message) {
    get().upsertConversation(conversation)
    set((s) => {
      const current = s.messagesByConversation[conversation.id]
      // Threads not loaded yet are fetched whole when opened; only loaded ones are kept up to date here.
      if (!current || current.some((m) => m.id === message.id)) return {}
      return { messagesByConversation: { ...s.messagesByConversation, [conversation.id]: sortMessages([...current, message]) } }
    })
  },
  updateMessage(message) {
    set((s) => {
      const current = s.messagesByConversation[message.conversationId]
      if (!current) return {}
      return {
        messagesByConversation: {
          ...s.messagesByConversation,
          [message.conversationId]: current.map((m) => (m.id === message.id ? message : m)),
        },
      }
    })
  },
})
