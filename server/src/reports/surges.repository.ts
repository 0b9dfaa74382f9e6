import type { ChannelKind, SurgeAlert, SurgeConversation } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'

/** How much of a conversation's latest message a surge shows: its first words, not the whole of it. */
const previewLength = 80

type SurgeRow = {
  id: string
  teamId: string | null
  scope: string
  key: string
  label: string
  reasons: string[]
  windowStart: Date
  windowEnd: Date
  inbound: number
  baseline: number
  negativeShare: number
  baselineNegativeShare: number
  conversationIds: string[]
  createdAt: Date
}

export function toSurgeAlert(row: SurgeRow): SurgeAlert {
  return {
    ...row,
    scope: row.scope as SurgeAlert['scope'],
    reasons: row.reasons as SurgeAlert['reasons'],
    windowStart: row.windowStart.toISOString(),
    windowEnd: row.windowEnd.toISOString(),
    createdAt: row.createdAt.toISOString(),
  }
}

/** The last 7 days' alerts of some teams, newest first. */
export async function recentSurges(db: Database, teamIds: string[], now: Date): Promise<SurgeAlert[]> {
  if (teamIds.length === 0) return []
  const rows = await db
    .selectFrom('surgeAlerts')
    .selectAll()
    .where('teamId', 'in', teamIds)
    .where('createdAt', '>', new Date(now.getTime() - 7 * 86_400_000))
    .orderBy('createdAt', 'desc')
    .limit(100)
    .execute()
  const named = await findSurgeConversations(db, [...new Set(rows.flatMap((row) => row.conversationIds))])
  return rows.map((row) => withConversations(toSurgeAlert(row), named))
}

/** The alert with its conversations named, in its own order; a conversation deleted since is left out. */
export function withConversations(alert: SurgeAlert, named: ReadonlyMap<string, SurgeConversation>): SurgeAlert {
  return { ...alert, conversations: alert.conversationIds.flatMap((id) => named.get(id) ?? []) }
}

/** Conversations by id, with the customer's name (else handle), the channel and the first words of the latest message. */
export async function findSurgeConversations(db: Database, ids: string[]): Promise<Map<string, SurgeConversation>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('conversations as c')
    .innerJoin('contacts as ct', 'ct.id', 'c.contactId')
    .innerJoin('channels as ch', 'ch.id', 'c.channelId')
    .select([
      'c.id',
      sql<string | null>`coalesce(nullif(btrim(ct.name), ''), nullif(btrim(ct.handle), ''))`.as('customerName'),
      'ch.name as channelName',
      'ch.kind as channelKind',
      'c.lastMessagePreview as preview',
    ])
    .where('c.id', 'in', ids)
    .execute()
  return new Map(rows.map((row) => [row.id, { ...row, channelKind: row.channelKind as ChannelKind, preview: firstWords(row.preview) }]))
}

/** Cut at a word boundary near previewLength, so a preview never ends mid-word (unless one word is that long). */
function firstWords(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= previewLength) return flat
  const cut = flat.slice(0, previewLength)
  const space = cut.lastIndexOf(' ')
  return `${(space > previewLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}
