import {
  conversationsApi,
  slaPoliciesApi,
  type ConversationStatus,
  type ConversationSummary,
  type Message,
  type Priority,
  type SlaTarget,
} from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import {
  changesMembership,
  changesSlaStanding,
  defaultListFilters,
  isSlaDependent,
  listOrderOf,
  listQueryOf,
  mergeFirstPage,
  sortList,
  type ListFilters,
} from './conversation-list'
import { conversationPath, selectOpenConversationId } from './router.slice'
import { isSameData } from './same-data'
import type { AppState } from './store'
import { failed, type Outcome } from './outcome'
import { throttle } from './throttle'

export type BulkAction = Static<typeof conversationsApi.bulk.schema.body>['action']
export interface BulkResult {
  updated: number
  failed: { id: string; error: string }[]
}
export interface ViewCount {
  total: number
  unread: number
}

export interface ConversationsSlice {
  connected: boolean
  /** Every conversation the console knows: the list's, and any opened from elsewhere (a customer's history). */
  conversationsById: Record<string, ConversationSummary>
  /** The list: ids matching `listFilters`, in its order (latest activity or nearest deadline first). */
  conversationOrder: string[]
  listFilters: ListFilters
  /** Pass as `cursor` for the next older page; null when the list is complete. */
  listNextCursor: string | null
  conversationsError: string | null
  isLoadingConversations: boolean
  /** Why the last change to a conversation (assignee, status, priority, tags) was refused, until the next one succeeds. */
  actionErrors: Record<string, string>
  /** Each view's size and how many of its conversations are unread for you (not every view is counted); null until loaded. */
  viewCounts: Record<string, ViewCount> | null
  /** The rows ticked for a bulk action. */
  checkedConversationIds: string[]
  /** Whether the inbox was opened once this session: the first opening picks the view the person starts in. */
  hasLandedInInbox: boolean
  /** A conversation was just resolved and the current view had nothing left to open after it. */
  isViewDone: boolean
  /** Each opened conversation's SLA targets, newest cycle first, as last loaded. */
  slaTargetsByConversation: Record<string, SlaTarget[]>
  slaTargetErrors: Record<string, string>
  setConnected(connected: boolean): void
  /** Loads the first page for the current filters, replacing the list. */
  loadConversations(): Promise<void>
  /** Refetches the first page and merges it in (live updates, reconnects): no flicker, older pages kept. */
  refreshConversations(): Promise<void>
  loadOlderConversations(): Promise<void>
  setListFilters(changes: Partial<ListFilters>): void
  openConversation(id: string | null): void
  /**
   * Stores a summary. A live event's `unread` means "the customer has the last word", not "unread for you", so
   * `source: 'live'` keeps what the console knows. The conversation open on screen is never shown unread.
   */
  upsertConversation(conversation: ConversationSummary, source?: 'api' | 'live'): void
  receiveMessage(conversation: ConversationSummary, message: Message): void
  /** Resolve with an error message to show, or null on success. */
  assignConversation(id: string, assigneeId: string | null): Promise<string | null>
  setConversationStatus(id: string, status: ConversationStatus, snoozedUntil?: string): Promise<string | null>
  /**
   * Resolves it and, if it is still the one on screen and was in the list, opens the next conversation of the list
   * (the one below it, else the one above); with none left, closes it and marks the view done. Resolves with an
   * error message, or null.
   */
  resolveAndOpenNext(id: string): Promise<string | null>
  /** The first opening of the inbox in a session: an agent starts in Mine (their own work), leads and admins in All open. */
  landInInbox(): void
  updateConversation(id: string, changes: { priority?: Priority; tags?: string[] }): Promise<string | null>
  /** Moves it to another team. If the signed-in user is not of that team, they no longer see it: it closes. */
  transferConversation(id: string, teamId: string): Promise<string | null>
  loadViewCounts(): Promise<void>
  /** Refetches the counts soon, at most once every 2 s (live events, actions); only once they were loaded. */
  refreshViewCounts(): void
  /** Opening a conversation reads it: the server moves your read marker to now. */
  markConversationRead(id: string): Promise<void>
  toggleChecked(id: string): void
  setChecked(ids: string[]): void
  /** Applies one action to many conversations; each is checked on its own, so some may fail. Clears the ticks. */
  bulkUpdate(ids: string[], action: BulkAction): Promise<Outcome<BulkResult>>
  /** After a reconnect: refetch what is on screen, so nothing that happened while offline is missed. */
  resync(): Promise<void>
  /** Loads the conversation's SLA targets (again when its deadline changed: a reply or a resolve stops some). */
  loadSlaTargets(id: string): Promise<void>
}

const refreshIntervalMs = 1000
const countsIntervalMs = 2000

export const createConversationsSlice: StateCreator<AppState, [], [], ConversationsSlice> = (set, get) => {
  // Only the newest first-page request may write the list: an older answer (other filters) arriving late is dropped.
  let listRequest = 0
  // The server knows which views and filters a conversation matches; refetching beats re-implementing its rules.
  const scheduleRefresh = throttle(() => void get().refreshConversations(), refreshIntervalMs)

  // The inbox loads the counts at once on opening; everything else asks through `refreshViewCounts`, which waits
  // out the rest of the interval since the last load (a burst of events folds into one request).
  let countsLoadedAt = Number.NEGATIVE_INFINITY
  let countsTimer: ReturnType<typeof setTimeout> | null = null
  // Per conversation, only the newest SLA targets request may write: deadlines change in quick succession.
  const slaRequests = new Map<string, number>()

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
            : mergeFirstPage(s.conversationOrder, conversationsById, s.listNextCursor, page, listOrderOf(filters))
        // Sorted again: a summary kept because it is newer than the answer may belong higher up.
        const conversationOrder = sortList(list.order, conversationsById, listOrderOf(filters))
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
    viewCounts: null,
    checkedConversationIds: [],
    hasLandedInInbox: false,
    isViewDone: false,
    slaTargetsByConversation: {},
    slaTargetErrors: {},
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
      // Ticks on rows that leave the screen would act on conversations no longer in sight.
      set((s) => ({ listFilters: { ...s.listFilters, ...changes }, checkedConversationIds: [], isViewDone: false }))
      void get().loadConversations()
    },
    openConversation(id) {
      // The keyboard's row follows in the same render, not in a second one after the pane mounts.
      if (id) get().selectConversation(id)
      if (id && get().isViewDone) set({ isViewDone: false })
      get().navigate(conversationPath(id))
    },
    upsertConversation(summary, source = 'api') {
      const before = get().conversationsById[summary.id]
      const isOpen = selectOpenConversationId(get()) === summary.id
      const unread = isOpen ? false : source === 'live' && before ? before.unread : summary.unread
      const conversation = unread === summary.unread ? summary : { ...summary, unread }
      const isListed = get().conversationOrder.includes(conversation.id)
      writtenAt.set(conversation.id, ++writes)
      // The same summary again (a read marker moved, a detail refetched): nothing on screen changes.
      if (isListed && before && isSameData(before, conversation)) return
      set((s) => {
        const conversationsById = { ...s.conversationsById, [conversation.id]: conversation }
        if (!isListed) return { conversationsById }
        return { conversationsById, conversationOrder: sortList(s.conversationOrder, conversationsById, listOrderOf(s.listFilters)) }
      })
      const mayLeaveSlaFilter = isSlaDependent(get().listFilters) && before !== undefined && changesSlaStanding(before, conversation)
      if (!isListed || (before && changesMembership(before, conversation)) || mayLeaveSlaFilter) scheduleRefresh()
      const changesCounts =
        !before || before.status !== conversation.status || before.assignee?.id !== conversation.assignee?.id || before.unread !== conversation.unread
      if (source === 'live' || changesCounts) get().refreshViewCounts()
    },
    receiveMessage(conversation, message) {
      const isFromCustomer = message.direction === 'inbound' && message.kind === 'message'
      const isOpen = selectOpenConversationId(get()) === conversation.id
      if (isFromCustomer && !isOpen) get().upsertConversation({ ...conversation, unread: true })
      else get().upsertConversation(conversation, 'live')
      // Read as it arrives: move the server's read marker past it too, or the next list would show it unread.
      if (isFromCustomer && isOpen) void get().markConversationRead(conversation.id)
      get().addMessage(message)
      // Every change to a follow-up (scheduled, due, cancelled, the customer writing first) writes an event into the
      // thread: the one on screen reads its follow-ups again.
      if (message.kind === 'event' && isOpen) void get().loadFollowUps(conversation.id)
      // Their message is here: they are no longer typing it.
      if (message.agent) get().stopTyping(message.conversationId, message.agent.id)
    },
    assignConversation: (id, assigneeId) => act(id, () => call(conversationsApi.assign, { params: { id }, body: { assigneeId } })),
    setConversationStatus: (id, status, snoozedUntil) =>
      act(id, () => call(conversationsApi.status, { params: { id }, body: snoozedUntil ? { status, snoozedUntil } : { status } })),
    async resolveAndOpenNext(id) {
      // Where it stood before resolving: once resolved it may leave the view (a refresh drops it from the list).
      const order = get().conversationOrder
      const error = await get().setConversationStatus(id, 'resolved')
      // The agent moved on while the request was out: their choice stands.
      if (error || selectOpenConversationId(get()) !== id) return error
      const at = order.indexOf(id)
      // Opened from elsewhere (a link, the customer's history): there is no place in the view to go on from.
      if (at < 0) return null
      const byId = get().conversationsById
      const isWaiting = (other: string | undefined): other is string => other !== undefined && other !== id && byId[other]?.status !== 'resolved'
      const below = order.slice(at + 1)
      const above = order.slice(0, at).reverse()
      const next = below.find(isWaiting) ?? above.find(isWaiting) ?? null
      get().openConversation(next)
      if (!next) set({ isViewDone: true })
      return null
    },
    landInInbox() {
      if (get().hasLandedInInbox) return
      const isAgent = get().session?.user.role === 'agent'
      set((s) => ({ hasLandedInInbox: true, ...(isAgent && { listFilters: { ...s.listFilters, view: 'mine' as const } }) }))
    },
    updateConversation: (id, changes) => act(id, () => call(conversationsApi.update, { params: { id }, body: changes })),
    async transferConversation(id, teamId) {
      const error = await act(id, () => call(conversationsApi.transfer, { params: { id }, body: { teamId } }))
      const session = get().session
      const stillMine = session?.user.role === 'admin' || (session?.user.teamIds.includes(teamId) ?? false)
      if (!error && !stillMine) {
        set((s) => ({ conversationOrder: s.conversationOrder.filter((other) => other !== id) }))
        if (selectOpenConversationId(get()) === id) get().openConversation(null)
      }
      return error
    },
    async loadViewCounts() {
      countsLoadedAt = Date.now()
      try {
        const { views } = await call(conversationsApi.counts)
        set({ viewCounts: views })
      } catch {
        // The counts are a hint beside the views: without them the inbox still works, so it shows none.
      }
    },
    refreshViewCounts() {
      if (get().viewCounts === null || countsTimer) return
      const wait = countsLoadedAt + countsIntervalMs - Date.now()
      // A wait longer than the interval means the clock was set back: load rather than stall.
      if (wait <= 0 || wait > countsIntervalMs) void get().loadViewCounts()
      else
        countsTimer = setTimeout(() => {
          countsTimer = null
          void get().loadViewCounts()
        }, wait)
    },
    async markConversationRead(id) {
      try {
        get().upsertConversation(await call(conversationsApi.markRead, { params: { id } }))
        get().refreshViewCounts()
      } catch {
        // Still unread on the server: the next list answer shows it so, and opening it again retries.
      }
    },
    toggleChecked(id) {
      set((s) => ({
        checkedConversationIds: s.checkedConversationIds.includes(id) ? s.checkedConversationIds.filter((c) => c !== id) : [...s.checkedConversationIds, id],
      }))
    },
    setChecked(ids) {
      set({ checkedConversationIds: ids })
    },
    async bulkUpdate(ids, action) {
      try {
        const answer = await call(conversationsApi.bulk, { body: { ids, action } })
        for (const conversation of answer.updated) get().upsertConversation(conversation)
        set({ checkedConversationIds: [] })
        get().refreshViewCounts()
        return { ok: true, value: { updated: answer.updated.length, failed: answer.failed } }
      } catch (error) {
        return failed(error)
      }
    },
    async resync() {
      const open = selectOpenConversationId(get())
      get().refreshViewCounts()
      await Promise.all([get().refreshConversations(), ...(open ? [get().loadMessages(open), get().loadConversation(open), get().loadFollowUps(open)] : [])])
    },
    async loadSlaTargets(id) {
      const request = (slaRequests.get(id) ?? 0) + 1
      slaRequests.set(id, request)
      try {
        const { items } = await call(slaPoliciesApi.targets, { params: { id } })
        if (slaRequests.get(id) !== request) return
        set((s) => {
          const { [id]: _cleared, ...slaTargetErrors } = s.slaTargetErrors
          return { slaTargetsByConversation: { ...s.slaTargetsByConversation, [id]: items }, slaTargetErrors }
        })
      } catch (error) {
        if (slaRequests.get(id) === request) set((s) => ({ slaTargetErrors: { ...s.slaTargetErrors, [id]: (error as Error).message } }))
      }
    },
  }
}
