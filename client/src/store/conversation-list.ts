import type { ConversationPage, ConversationSummary, ConversationView, Priority } from '@carebox/shared'

/** What the inbox list shows: a view plus optional filters. */
export interface ListFilters {
  view: ConversationView
  channelId: string | null
  priority: Priority | null
  /** The customer's language (en, es…); null for any. */
  language: string | null
  tag: string | null
  /** Search words; null when not searching. */
  q: string | null
}

export const defaultListFilters: ListFilters = { view: 'open', channelId: null, priority: null, language: null, tag: null, q: null }

/** Whether anything narrows the view's list. */
export function isFiltered(filters: ListFilters): boolean {
  return filters.q !== null || filters.channelId !== null || filters.priority !== null || filters.language !== null || filters.tag !== null
}

export const listPageSize = 50

/** The list route's query string for these filters (keys in a fixed order, unset filters left out). */
export function listQueryOf(filters: ListFilters, cursor?: string) {
  return {
    view: filters.view,
    ...(filters.channelId && { channelId: filters.channelId }),
    ...(filters.priority && { priority: filters.priority }),
    ...(filters.language && { language: filters.language }),
    ...(filters.tag && { tag: filters.tag }),
    ...(filters.q && { q: filters.q }),
    ...(cursor && { cursor }),
    limit: listPageSize,
  }
}

/** Most recent activity first, as the server pages them. */
export function byRecency(a: ConversationSummary, b: ConversationSummary): number {
  return b.lastMessageAt.localeCompare(a.lastMessageAt) || b.id.localeCompare(a.id)
}

export function sortByRecency(ids: string[], byId: Record<string, ConversationSummary>): string[] {
  return ids
    .map((id) => byId[id])
    .filter((c) => c !== undefined)
    .sort(byRecency)
    .map((c) => c.id)
}

/**
 * The list after refetching its first page: the page is the truth for everything as recent as its last item;
 * older pages loaded earlier are kept (with their cursor), so a live update does not throw away the scroll.
 */
export function mergeFirstPage(
  order: string[],
  byId: Record<string, ConversationSummary>,
  nextCursor: string | null,
  page: ConversationPage,
): { order: string[]; nextCursor: string | null } {
  const pageIds = page.items.map((c) => c.id)
  const boundary = page.items.at(-1)
  if (!page.nextCursor || !boundary) return { order: pageIds, nextCursor: page.nextCursor }
  const inPage = new Set(pageIds)
  const older = order.filter((id) => {
    const conversation = byId[id]
    return !inPage.has(id) && conversation !== undefined && byRecency(boundary, conversation) < 0
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
    before.tags.join(',') !== after.tags.join(',')
  )
}
