import {
  hasRole,
  privateReplyWindowMs,
  type ChannelKind,
  type ConversationPage,
  type ConversationStatus,
  type ConversationSummary,
  type Message,
  type conversationsApi,
} from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import { visibleTeamIds, type Identity } from '../auth/identity.js'
import { assertConversationVisible } from '../auth/scope.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { listConversationSummaries, type ConversationSummaryRow } from './conversations.repository.js'
import { type findMessages, listMessages } from './messages.repository.js'
import { messageSentiment } from '../sentiment/effective-sentiment.js'

type MessageRow = Awaited<ReturnType<typeof findMessages>>[number]

export function toConversationSummary(row: ConversationSummaryRow): ConversationSummary {
  return {
    id: row.id,
    channel: { id: row.channelId, kind: row.channelKind as ChannelKind, name: row.channelName },
    kind: row.kind as ConversationSummary['kind'],
    status: row.status as ConversationStatus,
    subject: row.subject,
    contact: { id: row.contactId, name: row.contactName, handle: row.contactHandle },
    messageCount: row.messageCount,
    lastMessageAt: row.lastMessageAt.toISOString(),
    lastMessagePreview: row.lastMessagePreview,
    lastInboundAt: row.lastInboundAt?.toISOString() ?? null,
    assignee: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? '' } : null,
    teamId: row.teamId,
    priority: row.priority as ConversationSummary['priority'],
    tags: row.tags,
    snoozedUntil: row.snoozedUntil?.toISOString() ?? null,
    unread: row.unread,
    language: row.language,
    sla: row.slaState ? { state: row.slaState as 'active' | 'paused' | 'breached', dueAt: row.slaDueAt?.toISOString() ?? null } : null,
    ...(row.latestCommenter && { latestCommenter: row.latestCommenter }),
    sentiment: row.sentiment,
  }
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    kind: row.kind as Message['kind'],
    agent: row.authorUserId ? { id: row.authorUserId, name: row.agentName ?? '' } : null,
    direction: row.direction as Message['direction'],
    authorKind: row.authorKind as Message['authorKind'],
    author: row.authorContactId ? { id: row.authorContactId, name: row.authorName, handle: row.authorHandle } : null,
    text: row.text,
    attachments: row.attachments as Message['attachments'],
    status: row.status as Message['status'],
    error: row.error,
    reactions: row.reactions as Message['reactions'],
    sentAt: row.sentAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    automated: row.automated,
    ...(row.closesLoop && { closesLoop: row.closesLoop as NonNullable<Message['closesLoop']> }),
    ...templateOf(row.replyContext),
    ...surveyOf(row.replyContext),
    ...(row.inReplyTo && { inReplyTo: row.inReplyTo }),
    ...sentimentOf(row),
    ...(row.inCommentThread &&
      row.direction === 'inbound' &&
      row.kind === 'message' && {
        comment: {
          hidden: row.hiddenAt !== null,
          liked: row.likedAt !== null,
          privateReplied: row.privateReplied,
          privateReplyUntil: new Date(row.sentAt.getTime() + privateReplyWindowMs).toISOString(),
          action: row.commentAction,
        },
      }),
  }
}

/** A customer's message carries its effective sentiment (a person's label wins); ours carry none. */
function sentimentOf(row: MessageRow): Pick<Message, 'sentiment'> {
  const sentiment = messageSentiment({ ...row, override: row.sentimentOverride, model: row.sentiment })
  return sentiment ? { sentiment } : {}
}

/** A template send keeps the template in its reply context (see queueTemplateReply): the thread names it. */
function templateOf(context: unknown): Pick<Message, 'template'> {
  const raw = (context as { template?: unknown } | null)?.template
  if (typeof raw !== 'string') return {}
  const { name, language } = JSON.parse(raw) as { name: string; language: string }
  return { template: { name, language } }
}

/** A survey (or its "why?") keeps the survey's id and its answer buttons in its reply context (survey-offer.job.ts). */
function surveyOf(context: unknown): Pick<Message, 'survey'> {
  const { survey, choices } = (context ?? {}) as { survey?: unknown; choices?: unknown }
  if (typeof survey !== 'string') return {}
  const options = typeof choices === 'string' ? (JSON.parse(choices) as { options: { title: string }[] }).options.map((o) => o.title) : []
  return { survey: { options } }
}

/**
 * The paging cursor is the last row's sort key and id, opaque to clients: (last_message_at, id), or for the
 * next-breach order (sla_due_at, id), where a conversation with no deadline has an empty time.
 */
function encodeCursor(row: ConversationSummaryRow, byDeadline: boolean): string {
  const at = byDeadline ? (row.slaDueAt?.toISOString() ?? '') : row.lastMessageAt.toISOString()
  return Buffer.from(`${at}|${row.id}`).toString('base64url')
}

function decodeCursor(cursor: string, byDeadline: boolean): { at: Date | null; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (byDeadline && at === '' && id && /^[0-9a-f-]{36}$/i.test(id)) return { at: null, id }
  const date = new Date(at ?? '')
  // Years outside 1–9999 are valid dates here but not in PostgreSQL: a crafted cursor must not become a 500.
  const year = date.getUTCFullYear()
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
    throw new AppError('validation_failed', 'Invalid cursor')
  }
  return { at: date, id }
}

export async function listConversations(
  ctx: AppContext,
  identity: Identity,
  query: Static<typeof conversationsApi.list.schema.querystring>,
): Promise<ConversationPage> {
  // Low ratings are the leads' to follow up: agents may be kept from ratings altogether (a team setting).
  if (query.view === 'low_ratings' && identity.kind === 'user' && !hasRole(identity.role, 'lead')) {
    throw new AppError('forbidden', 'The Low ratings view is for team leads and admins.')
  }
  if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
    throw new AppError('validation_failed', 'The "from" time must be before the "to" time.')
  }
  const limit = query.limit ?? 50
  const byDeadline = query.sort === 'next_breach' || query.view === 'at_risk'
  const rows = await listConversationSummaries(ctx.db, {
    now: ctx.clock.now(),
    sla: query.sla,
    sort: query.sort,
    teamIds: visibleTeamIds(identity),
    ...(identity.kind === 'user' && { me: { userId: identity.userId, teamIds: identity.teamIds } }),
    view: query.view,
    status: query.status,
    channelId: query.channelId,
    priority: query.priority,
    language: query.language,
    tag: query.tag,
    q: query.q,
    assigneeId: query.assigneeId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    before: query.cursor ? decodeCursor(query.cursor, byDeadline) : undefined,
    limit: limit + 1,
  })
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return { items: page.map(toConversationSummary), nextCursor: rows.length > limit && last ? encodeCursor(last, byDeadline) : null }
}

export async function listConversationMessages(ctx: AppContext, identity: Identity, conversationId: string): Promise<{ items: Message[] }> {
  await assertConversationVisible(ctx.db, identity, conversationId)
  const rows = await listMessages(ctx.db, conversationId)
  return { items: rows.map(toMessage) }
}
