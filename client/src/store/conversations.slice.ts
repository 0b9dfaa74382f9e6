import { conversationsApi, type ConversationStatus, type ConversationSummary, type Message, type Priority } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import { changesMembership, defaultListFilters, listQueryOf, mergeFirstPage, sortByRecency, type ListFilters } from './conversation-list'
import { conversationPath, selectOpenConversationId } from './router.slice'
import type { AppState } from './store'
import { throttle } from './throttle'

export interface ConversationsSlice {
  connected: boolean
  /** Every conversation the console knows: the list's, and any opened from elsewhere (a customer's history). */
  conversationsById: Record<string, ConversationSummary>
  /** The list: ids matching `listFilters`, most recent activity first. */
  conversationOrder: string[]
  listFilters: ListFilters
  /** Pass as `cursor` for the next older page; null when the list is complete. */
  listNextCursor: string | null
  conversationsError: string | null
  isLoadingConversations: boolean
  /** Why the last change to a conversation (assignee, status, priority, tags) was refused, until the next one succeeds. */
  actionErrors: Record<string, string>
  setConnected(connected: boolean): void
  /** Loads the first page for the current filters, replacing the list. */
  loadConversations(): Promise<void>
  /** Refetches the first page and merges it in (live updates, reconnects): no flicker, older pages kept. */
  refreshConversations(): Promise<void>
  loadOlderConversations(): Promise<void>
  setListFilters(changes: Partial<ListFilters>): void
  openConversation(id: string | null): void
  upsertConversation(conversation: ConversationSummary): void
  receiveMessage(conversation: ConversationSummary, message: Message): void
  /** Resolve with an error message to show, or null on success. */
  assignConversation(id: string, assigneeId: string | null): Promise<string | null>
  setConversationStatus(id: string, status: ConversationStatus, snoozedUntil?: string): Promise<string | null>
  updateConversation(id: string, changes: { priority?: Priority; tags?: string[] }): Promise<string | null>
  /** After a reconnect: refetch what is on screen, so nothing that happened while offline is missed. */
  resync(): Promise<void>
}

const refreshIntervalMs = 1000

export const createConversationsSlice: StateCreator<AppState, [], [], ConversationsSlice> = (set, get) => {
  // Only the newest first-page request may write the list: an older answer (other filters) arriving late is dropped.
  let listRequest = 0
  // The server knows which views and filters a conversation matches; refetching beats re-implementing its rules.
  const scheduleRefresh = throttle(() => void get().refreshConversations(), refreshIntervalMs)

  // The filters the list on screen was loaded with: a refresh merges only into a list of the same filters.
  let listedFilters: ListFilters | null = null
  // When each conversation was last written by an event or an action: a list answer requested before that is
  // older news about it, and must not undo it.
  let writes = 0
  const writtenAt = new Map<string, number>()
  const mergeSummaries = (byId: Record<string, ConversationSummary>, items: ConversationSummary[], requestedAt: number) => {
    const fresh = items.filter((c) => (writtenAt.get(c.id) ?? 0) <= requestedAt || !byId[c.id])
    return { ...byId, ...Object.fromEntries(fresh.map((c) => [c.id, c])) }
  }

  const fetchFirstPage = async (mode: 'replace' | 'merge') => {
    const request = ++listRequest
    const requestedAt = writes
    const filters = get().listFilters
    if (mode === 'replace') set({ isLoadingConversations: true })
    try {
      const page = await call(conversationsApi.list, { query: listQueryOf(filters) })
      if (request !== listRequest) return
      if (listedFilters !== filters) mode = 'replace'
      listedFilters = filters
      set((s) => {
        const conversationsById = mergeSummaries(s.conversationsById, page.items, requestedAt)
        const list =
          mode === 'replace'
            ? { order: page.items.map((c) => c.id), nextCursor: page.nextCursor }
            : mergeFirstPage(s.conversationOrder, conversationsById, s.listNextCursor, page)
        // Sorted again: a summary kept because it is newer than the answer may belong higher up.
        const conversationOrder = sortByRecency(list.order, conversationsById)
        return { conversationsById, conversationOrder, listNextCursor: list.nextCursor, conversationsError: null, isLoadingConversations: false }
      })
    } catch (error) {
      if (request === listRequest) set({ conversationsError: (error as Error).message, isLoadingConversations: false })
    }
  }

  /** Runs an action that answers the conversation's new summary, and records why it failed if it did. */
  const act = async (id: string, request: () => Promise<ConversationSummary>): Promise<string | null> => {
    try {
      get().upsertConversation(await request())
      set((s) => {
        const { [id]: _cleared, ...actionErrors } = s.actionErrors
        return { actionErrors }
      })
      return null
    } catch (error) {
      const message = (error as Error).message
      set((s) => ({ actionErrors: { ...s.actionErrors, [id]: message } }))
      return message
    }
  }

  return {
    connected: false,
    conversationsById: {},
    conversationOrder: [],
    listFilters: defaultListFilters,
    listNextCursor: null,
    conversationsError: null,
    isLoadingConversations: false,
    actionErrors: {},
    setConnected(connected) {
      set({ connected })
    },
    loadConversations: () => fetchFirstPage('replace'),
    refreshConversations: () => fetchFirstPage('merge'),
    async loadOlderConversations() {
      const { listFilters: filters, listNextCursor: cursor } = get()
      if (!cursor) return
      const requestedAt = writes
      try {
        const page = await call(conversationsApi.list, { query: listQueryOf(filters, cursor) })
        if (get().listFilters !== filters || get().listNextCursor !== cursor) return
        set((s) => {
          const known = new Set(s.conversationOrder)
          return {
            conversationsById: mergeSummaries(s.conversationsById, page.items, requestedAt),
            conversationOrder: [...s.conversationOrder, ...page.items.map((c) => c.id).filter((id) => !known.has(id))],
            listNextCursor: page.nextCursor,
            conversationsError: null,
          }
        })
      } catch (error) {
        set({ conversationsError: (error as Error).message })
      }
    },
    setListFilters(changes) {
      set((s) => ({ listFilters: { ...s.listFilters, ...changes } }))
      void get().loadConversations()
    },
    openConversation(id) {
      get().navigate(conversationPath(id))
    },
    upsertConversation(conversation) {
      const before = get().conversationsById[conversation.id]
      const isListed = get().conversationOrder.includes(conversation.id)
      writtenAt.set(conversation.id, ++writes)
      set((s) => {
        const conversationsById = { ...s.conversationsById, [conversation.id]: conversation }
        if (!isListed) return { conversationsById }
        return { conversationsById, conversationOrder: sortByRecency(s.conversationOrder, conversationsById) }
      })
      if (!isListed || (before && changesMembership(before, conversation))) scheduleRefresh()
    },
    receiveMessage(conversation, message) {
      get().upsertConversation(conversation)
      get().addMessage(message)
      // Their message is here: they are no longer typing it.
      if (message.agent) get().stopTyping(message.conversationId, message.agent.id)
    },
    assignConversation: (id, assigneeId) => act(id, () => call(conversationsApi.assign, { params: { id }, body: { assigneeId } })),
    setConversationStatus: (id, status, snoozedUntil) =>
      act(id, () => call(conversationsApi.status, { params: { id }, body: snoozedUntil ? { status, snoozedUntil } : { status } })),
    updateConversation: (id, changes) => act(id, () => call(conversationsApi.update, { params: { id }, body: changes })),
    async resync() {
      const open = selectOpenConversationId(get())
      await Promise.all([get().refreshConversations(), ...(open ? [get().loadMessages(open), get().loadConversation(open)] : [])])
    },
  }
}
