import type { ConversationPage, ConversationStatus, ConversationSummary, ConversationView, Priority, SlaFilter } from '@carebox/shared'

/** recent: latest activity first. next_breach: nearest SLA deadline first. */
export type ListSort = 'recent' | 'next_breach'

/** What the inbox list shows: a view plus optional filters. */
export interface ListFilters {
  view: ConversationView
  channelId: string | null
  priority: Priority | null
  /** The conversation's detected language (en, es…); null for any. */
  language: string | null
  tag: string | null
  /** Where the nearest SLA deadline stands; null for any. */
  sla: SlaFilter | null
  sort: ListSort
  /**
   * Search words; '' when searching by the search filters alone; null when not searching. A search looks through every
   * conversation the person may see, not the view.
   */
  q: string | null
  /** Search filters (they apply while searching): the conversation's status, its assignee, and its latest activity's day. */
  status: ConversationStatus | null
  assigneeId: string | null
  /** Days as the date field gives them (YYYY-MM-DD, the agent's own time zone); both included. */
  from: string | null
  to: string | null
}

export const defaultListFilters: ListFilters = {
  view: 'open',
  channelId: null,
  priority: null,
  language: null,
  tag: null,
  sla: null,
  sort: 'recent',
  q: null,
  status: null,
  assigneeId: null,
  from: null,
  to: null,
}

/** Every filter off (the view and the order stay): what "Clear" sets. */
export const noFilters: Omit<ListFilters, 'view' | 'sort'> = {
  channelId: null,
  priority: null,
  language: null,
  tag: null,
  sla: null,
  q: null,
  status: null,
  assigneeId: null,
  from: null,
  to: null,
}

/** Leaving the search: its words and its own filters off, back to the view (the view's filters stay). */
export const noSearch: Pick<ListFilters, 'q' | 'status' | 'assigneeId' | 'from' | 'to'> = { q: null, status: null, assigneeId: null, from: null, to: null }

/** Whether anything narrows the view's list. */
export function isFiltered(filters: ListFilters): boolean {
  return (
    filters.q !== null || filters.channelId !== null || filters.priority !== null || filters.language !== null || filters.tag !== null || filters.sla !== null
  )
}

/** Whether the list is a search: it then looks through everything the person may see, whatever the view. */
export function isSearching(filters: ListFilters): boolean {
  return filters.q !== null
}

/** Whether any of the search's own filters (status, agent, days) is set: they keep a search going with no words. */
export function hasSearchFilters(filters: Pick<ListFilters, 'status' | 'assigneeId' | 'from' | 'to'>): boolean {
  return filters.status !== null || filters.assigneeId !== null || filters.from !== null || filters.to !== null
}

/** The start of a day in the agent's own time zone, as the API takes times. */
function startOfDay(day: string, plusDays = 0): string | null {
  const [year, month, date] = day.split('-').map(Number)
  if (!year || !month || !date) return null
  const at = new Date(year, month - 1, date + plusDays)
  return Number.isNaN(at.getTime()) ? null : at.toISOString()
}

/** The search's time range: from the start of the first day to the end of the last (the next day's start, excluded). */
export function activityRangeOf(filters: Pick<ListFilters, 'from' | 'to'>): { from?: string; to?: string } {
  const from = filters.from ? startOfDay(filters.from) : null
  const to = filters.to ? startOfDay(filters.to, 1) : null
  return { ...(from && { from }), ...(to && { to }) }
}

/** The order the list is in: the at-risk view is always nearest deadline first, whatever the toggle says. */
export function listSortOf(filters: ListFilters): ListSort {
  return filters.view === 'at_risk' ? 'next_breach' : filters.sort
}

/** Whether which conversations the list holds depends on where their deadlines stand (which moves with time). */
export function isSlaDependent(filters: ListFilters): boolean {
  return filters.view === 'at_risk' || filters.sla !== null
}

export const listPageSize = 50

/** The list route's query string for these filters (keys in a fixed order, unset filters left out). */
export function listQueryOf(filters: ListFilters, cursor?: string) {
  const searching = isSearching(filters)
  return {
    // A search looks through all the person may see (any status, all their teams): a view would hide a resolved case.
    ...(!searching && { view: filters.view }),
    ...(filters.channelId && { channelId: filters.channelId }),
    ...(filters.priority && { priority: filters.priority }),
    ...(filters.language && { language: filters.language }),
    ...(filters.tag && { tag: filters.tag }),
    ...(filters.sla && { sla: filters.sla }),
    // The at-risk view says it too: the client keeps the list in the order the server pages it. 'recent' is the default.
    ...(listSortOf(filters) === 'next_breach' && { sort: 'next_breach' as const }),
    ...(filters.q && { q: filters.q }),
    ...(searching && filters.status && { status: filters.status }),
    ...(searching && filters.assigneeId && { assigneeId: filters.assigneeId }),
    ...(searching && activityRangeOf(filters)),
    ...(cursor && { cursor }),
    limit: listPageSize,
  }
}

export type ListOrder = (a: ConversationSummary, b: ConversationSummary) => number

/** Most recent activity first, as the server pages them. */
export function byRecency(a: ConversationSummary, b: ConversationSummary): number {
  return b.lastMessageAt.localeCompare(a.lastMessageAt) || b.id.localeCompare(a.id)
}

/**
 * Nearest deadline first (the longest overdue at the top), as the server pages `sort=next_breach`: by deadline,
 * then id; conversations with no running deadline (paused, no SLA) come last, by id.
 */
export function byNextBreach(a: ConversationSummary, b: ConversationSummary): number {
  const dueA = a.sla?.dueAt ?? null
  const dueB = b.sla?.dueAt ?? null
  if (dueA !== dueB && (dueA === null || dueB === null)) return dueA === null ? 1 : -1
  return (dueA !== null && dueB !== null ? Date.parse(dueA) - Date.parse(dueB) : 0) || a.id.localeCompare(b.id)
}

export function listOrderOf(filters: ListFilters): ListOrder {
  return listSortOf(filters) === 'next_breach' ? byNextBreach : byRecency
}

export function sortList(ids: string[], byId: Record<string, ConversationSummary>, order: ListOrder): string[] {
  return ids
    .map((id) => byId[id])
    .filter((c) => c !== undefined)
    .sort(order)
    .map((c) => c.id)
}

/**
 * The list after refetching its first page: the page is the truth for everything up to its last item (in the
 * list's order); later pages loaded earlier are kept (with their cursor), so a live update does not throw away the scroll.
 */
export function mergeFirstPage(
  order: string[],
  byId: Record<string, ConversationSummary>,
  nextCursor: string | null,
  page: ConversationPage,
  listOrder: ListOrder = byRecency,
): { order: string[]; nextCursor: string | null } {
  const pageIds = page.items.map((c) => c.id)
  const boundary = page.items.at(-1)
  if (!page.nextCursor || !boundary) return { order: pageIds, nextCursor: page.nextCursor }
  const inPage = new Set(pageIds)
  const older = order.filter((id) => {
    const conversation = byId[id]
    return !inPage.has(id) && conversation !== undefined && listOrder(boundary, conversation) < 0
  })
  return { order: [...pageIds, ...older], nextCursor: older.length > 0 ? nextCursor : page.nextCursor }
}

/** Whether an update can change which views or filters a conversation belongs to (not just where it sorts). */
export function changesMembership(before: ConversationSummary, after: ConversationSummary): boolean {
  return (
    before.status !== after.status ||
    before.assignee?.id !== after.assignee?.id ||
    before.teamId !== after.teamId ||
    before.priority !== after.priority ||
    before.language !== after.language ||
    before.tags.join(',') !== after.tags.join(',')
  )
}

/** Whether an update moves the conversation between SLA filters: its deadline's state or time changed. */
export function changesSlaStanding(before: ConversationSummary, after: ConversationSummary): boolean {
  return before.sla?.state !== after.sla?.state || before.sla?.dueAt !== after.sla?.dueAt
}
