import {
  privateReplyWindowMs,
  hasRole,
  replyLength,
  replyLimit,
  replyOverhead,
  replyWindow,
  slaAmberMinutes,
  type ChannelKind,
  type Notification,
  type ConversationDetail,
  type ConversationStatus,
  type ConversationSummary,
  type Draft,
  type Message,
  type MessageAttachment,
} from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import { sql } from 'kysely'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { Identity } from '../auth/identity.js'
import { visibleTeamIds } from '../auth/identity.js'
import { idsOrNone, teamOfConversation } from '../auth/scope.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { recordChanges, recordMessageChanges, recordNotifications, type Actor as ChangeActor } from '../changes/changes.repository.js'
import { enqueueInTx } from '../queue/queue.js'
import { recordResolution } from '../reports/resolutions.repository.js'
import { listSlaTargets } from '../sla/sla-policies.repository.js'
import { replyQueue, sendReplyTask } from '../outbox/send-reply.task.js'
import { wakeJobKey, wakeTask } from './wake.task.js'
import { findConversationSummaries, lowRating, windowClosing } from './conversations.repository.js'
import { toConversationSummary, toMessage } from './conversations.service.js'
import { loadCustomerPanel } from './customer-panel.repository.js'
import { teamMembers } from '../auth/users.repository.js'
import { findMessages, insertActivity, insertEvent, insertQueuedReply } from './messages.repository.js'
import { attachFileToMessage } from '../files/files.repository.js'
import { fileForReply } from '../files/files.service.js'
import { enqueueMentionEmails } from '../mail/mail.service.js'

type User = Extract<Identity, { kind: 'user' }>
type Actor = AuditRecord['actor']

/** Who made a change, for the record of changes. */
function agent(user: User): ChangeActor {
  return { type: 'agent', id: user.userId }
}

/** The conversation as the caller may see it; another team's answers not_found, as a missing one does. */
async function visibleConversation(db: Database, identity: Identity, id: string): Promise<ConversationSummary> {
  const [row] = await findConversationSummaries(db, [id])
  const teams = visibleTeamIds(identity)
  if (!row || (teams && !teams.includes(row.teamId))) throw new AppError('not_found', 'No such conversation.')
  return toConversationSummary(row)
}

/** The conversation's summary if the caller may see it; not_found otherwise. */
export function findVisibleConversation(ctx: AppContext, identity: Identity, id: string): Promise<ConversationSummary> {
  return visibleConversation(ctx.db, identity, id)
}

function requireUser(identity: Identity): User {
  if (identity.kind !== 'user') throw new AppError('forbidden', 'Only a signed-in person can do this.')
  return identity
}

async function summary(db: Database, id: string): Promise<ConversationSummary> {
  const [row] = await findConversationSummaries(db, [id])
  if (!row) throw new AppError('not_found', 'No such conversation.')
  return toConversationSummary(row)
}

async function message(db: Database, id: string): Promise<Message> {
  const [row] = await findMessages(db, [id])
  if (!row) throw new AppError('not_found', 'No such message.')
  return toMessage(row)
}

/** Something that happened to the conversation, shown in its thread (not sent, not counted as a message). */
function recordEvent(db: Database, conversationId: string, channelId: string, userId: string, text: string, at: Date): Promise<string> {
  return insertEvent(db, { conversationId, channelId, authorUserId: userId, text, at })
}

export async function getConversation(ctx: AppContext, identity: Identity, id: string): Promise<ConversationDetail> {
  const conversation = await visibleConversation(ctx.db, identity, id)
  const [customer, draft, sla] = await Promise.all([
    loadCustomerPanel(ctx.db, conversation.contact.id, visibleTeamIds(identity)),
    identity.kind === 'user'
      ? ctx.db
          .selectFrom('drafts')
          .select(['text', 'mode', 'updatedAt'])
          .where('userId', '=', identity.userId)
          .where('conversationId', '=', id)
          .executeTakeFirst()
      : undefined,
    listSlaTargets(ctx.db, id),
  ])
  if (!customer) throw new AppError('not_found', 'No such conversation.')
  return {
    conversation,
    customer,
    draft: draft ? { text: draft.text, mode: draft.mode as 'reply' | 'note', updatedAt: draft.updatedAt.toISOString() } : null,
    sla,
  }
}

export async function saveDraft(
  ctx: AppContext,
  identity: Identity,
  conversationId: string,
  input: { text: string; mode: 'reply' | 'note' },
): Promise<{ draft: Draft | null }> {
  const user = requireUser(identity)
  await visibleConversation(ctx.db, identity, conversationId)
  if (input.text.trim() === '') {
    await ctx.db.deleteFrom('drafts').where('userId', '=', user.userId).where('conversationId', '=', conversationId).execute()
    return { draft: null }
  }
  const now = ctx.clock.now()
  await ctx.db
    .insertInto('drafts')
    .values({ userId: user.userId, conversationId, text: input.text, mode: input.mode, updatedAt: now })
    .onConflict((oc) => oc.columns(['userId', 'conversationId']).doUpdateSet({ text: input.text, mode: input.mode, updatedAt: now }))
    .execute()
  return { draft: { text: input.text, mode: input.mode, updatedAt: now.toISOString() } }
}

/**
 * A teammate's reply or note that landed after the message the sender last saw: sending now would cross it.
 * Answers who, so the sender can decide.
 */
async function crossingReply(db: Database, conversationId: string, seenUpTo: string, senderId: string): Promise<string | undefined> {
  const crossing = await db
    .selectFrom('messages as m')
    .innerJoin('users as u', 'u.id', 'm.authorUserId')
    .select(['u.name', 'm.kind'])
    .where('m.conversationId', '=', conversationId)
    .where('m.kind', 'in', ['message', 'note'])
    .where('m.authorUserId', '<>', senderId)
    // A seen message not of this conversation says nothing of what was seen here: no check.
    .where(
      sql<boolean>`m.created_at > coalesce((select s.created_at from messages s where s.id = ${seenUpTo}::uuid and s.conversation_id = ${conversationId}::uuid), 'infinity')`,
    )
    .orderBy('m.createdAt', 'desc')
    .limit(1)
    .executeTakeFirst()
  return crossing && `${crossing.name} ${crossing.kind === 'note' ? 'added a note' : 'replied'} since you last looked. Send anyway?`
}

export async function updateConversation(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  conversationId: string,
  input: { priority?: ConversationSummary['priority']; tags?: string[] },
): Promise<ConversationSummary> {
  const user = requireUser(identity)
  const conversation = await visibleConversation(ctx.db, identity, conversationId)
  const tags = input.tags && [...new Set(input.tags.map((tag) => tag.toLowerCase()))]
  const changes: string[] = []
  if (input.priority && input.priority !== conversation.priority) changes.push(`set the priority to ${input.priority}`)
  if (tags && tags.join(',') !== conversation.tags.join(',')) changes.push(tags.length > 0 ? `tagged it ${tags.join(', ')}` : 'removed its tags')
  if (changes.length === 0) return conversation
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('conversations')
      .set({ ...(input.priority && { priority: input.priority }), ...(tags && { tags }), updatedAt: now })
      .where('id', '=', conversationId)
      .execute()
    const id = await recordEvent(trx, conversationId, conversation.channel.id, user.userId, `${user.name} ${changes.join(' and ')}`, now)
    // Priority and tags choose the SLA policy and its targets: the SLA consumer follows.
    await recordChanges(trx, [
      {
        type: 'conversation.updated',
        conversationId,
        actor: agent(user),
        data: { fields: [...(input.priority ? ['priority'] : []), ...(tags ? ['tags'] : [])] },
      },
    ])
    await recordMessageChanges(trx, 'message.created', [id], agent(user))
    await recordAudit(trx, {
      action: 'conversation.updated',
      actor,
      target: { type: 'conversation', id: conversationId },
      details: {
        ...(input.priority && { priority: { from: conversation.priority, to: input.priority } }),
        ...(tags && { tags: { from: conversation.tags, to: tags } }),
      },
    })
    return id
  })
  return summaryAfter(ctx, conversationId)
}

/**
 * Queues a reply: the message and its send job commit together (the outbox), so a reply is either not there
 * at all or certain to be sent. The same client key twice answers the first reply and sends nothing more.
 */
export async function replyToConversation(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  conversationId: string,
  input: {
    text: string
    clientKey: string
    fileId?: string
    visibility?: 'public' | 'private'
    replyToMessageId?: string
    seenUpTo?: string
    confirmCrossing?: boolean
  },
): Promise<Message> {
  const user = requireUser(identity)
  const conversation = await visibleConversation(ctx.db, identity, conversationId)
  const now = ctx.clock.now()
  const existing = await ctx.db
    .selectFrom('messages')
    .select('id')
    .where('conversationId', '=', conversationId)
    .where('clientKey', '=', input.clientKey)
    .executeTakeFirst()
  if (existing) return message(ctx.db, existing.id)
  if (input.seenUpTo && !input.confirmCrossing) {
    const crossing = await crossingReply(ctx.db, conversationId, input.seenUpTo, user.userId)
    if (crossing) throw new AppError('crossed_reply', crossing)
  }

  const kind = conversation.channel.kind as ChannelKind
  if (input.text.trim() === '' && !input.fileId) throw new AppError('validation_failed', 'Write a reply or attach a file.')
  const limit = replyLimit(kind, conversation.kind)
  const overhead = replyOverhead(kind, conversation.contact.handle, input.text)
  if (replyLength(input.text, limit.unit) + overhead > limit.maxLength) {
    const room = limit.maxLength - overhead
    throw new AppError(
      'validation_failed',
      `${conversation.channel.name} accepts at most ${room} ${limit.unit} here${overhead > 0 ? ' (the @mention of the customer takes the rest)' : ''}.`,
    )
  }
  const window = replyWindow(kind, conversation.kind, conversation.lastInboundAt, now)
  if (window.state === 'closed') throw new AppError('conflict', window.reason)
  if (input.visibility === 'private' && conversation.kind !== 'public') throw new AppError('validation_failed', 'Only public threads have a private reply.')
  if (input.replyToMessageId && conversation.kind !== 'public') throw new AppError('validation_failed', 'Only a public thread answers one comment.')
  const chosen = input.replyToMessageId ? await commentAnswered(ctx.db, conversationId, input.replyToMessageId) : undefined
  // A private reply is to one comment: the one chosen, else the latest; it is recorded, so a second is refused.
  const target =
    input.visibility === 'private' && (kind === 'facebook' || kind === 'instagram') ? await privateReplyTarget(ctx.db, conversation, chosen, now) : chosen
  const options = {
    ...(input.visibility && { visibility: input.visibility }),
    ...(window.state === 'human_agent' && { tag: 'HUMAN_AGENT' }),
  }
  const file = input.fileId
    ? await fileForReply(ctx.db, { fileId: input.fileId, userId: user.userId, conversationId, channelKind: kind, conversationKind: conversation.kind })
    : undefined
  // Where the platform carries no text with the file (or less than was written), the text follows as a message of its own.
  const textApart = file !== undefined && input.text.trim() !== '' && replyLength(input.text, limit.unit) > file.captionMaxLength
  return queueReply(ctx, user, actor, conversation, {
    // Blank text with a file is no caption at all: platforms refuse a caption of spaces where they take none.
    text: textApart || input.text.trim() === '' ? '' : input.text,
    clientKey: input.clientKey,
    replyContext: options,
    replyToExternalId: target?.externalId ?? null,
    ...(file && { file: file.attachment }),
    ...(textApart && { textAfter: input.text }),
    at: now,
  })
}

/** The customer's comment a reply answers: one of this thread's, still there. */
async function commentAnswered(db: Database, conversationId: string, messageId: string): Promise<{ externalId: string; sentAt: Date }> {
  const comment = await db
    .selectFrom('messages')
    .select(['externalId', 'sentAt', 'deletedAt'])
    .where('id', '=', messageId)
    .where('conversationId', '=', conversationId)
    .where('direction', '=', 'inbound')
    .where('kind', '=', 'message')
    .executeTakeFirst()
  if (!comment?.externalId) throw new AppError('validation_failed', 'That is not a comment of this thread.')
  if (comment.deletedAt) throw new AppError('conflict', 'That comment was deleted: it can no longer be answered.')
  return { externalId: comment.externalId, sentAt: comment.sentAt }
}

/**
 * Meta allows one private reply per comment, within 7 days of it (specs/outreach.md §4): refused here, with the
 * rule, rather than by the platform after the agent has moved on. Without a target, the latest comment is meant.
 */
async function privateReplyTarget(
  db: Database,
  conversation: ConversationSummary,
  target: { externalId: string; sentAt: Date } | undefined,
  now: Date,
): Promise<{ externalId: string; sentAt: Date }> {
  const comment =
    target ??
    (await db
      .selectFrom('messages')
      .select(['externalId', 'sentAt'])
      .where('conversationId', '=', conversation.id)
      .where('direction', '=', 'inbound')
      .where('kind', '=', 'message')
      .orderBy('sentAt', 'desc')
      .executeTakeFirst())
  if (!comment?.externalId || now.getTime() - comment.sentAt.getTime() > privateReplyWindowMs) {
    throw new AppError('conflict', `${conversation.channel.name} allows a private reply to a comment only within 7 days of it.`)
  }
  const earlier = await db
    .selectFrom('messages')
    .select('id')
    .where('conversationId', '=', conversation.id)
    .where('direction', '=', 'outbound')
    .where('replyToExternalId', '=', comment.externalId)
    .where(sql<boolean>`reply_context->>'visibility' = 'private'`)
    .where('status', '<>', 'failed')
    .executeTakeFirst()
  if (earlier) throw new AppError('conflict', 'This comment has had its private reply already: the platform allows one per comment.')
  return { externalId: comment.externalId, sentAt: comment.sentAt }
}

/**
 * Queues an approved WhatsApp template, its text rendered as the customer will read it. A template may go out
 * whatever the 24-hour window (that is what templates are for); the caller has checked the template and values.
 */
export async function queueTemplateReply(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  conversationId: string,
  input: { text: string; clientKey: string; template: { name: string; language: string; components: unknown[] } },
): Promise<Message> {
  const user = requireUser(identity)
  const conversation = await visibleConversation(ctx.db, identity, conversationId)
  if (conversation.channel.kind !== 'whatsapp' || conversation.kind !== 'dm')
    throw new AppError('validation_failed', 'Templates are sent to WhatsApp chats only.')
  const existing = await ctx.db
    .selectFrom('messages')
    .select('id')
    .where('conversationId', '=', conversationId)
    .where('clientKey', '=', input.clientKey)
    .executeTakeFirst()
  if (existing) return message(ctx.db, existing.id)
  return queueReply(ctx, user, actor, conversation, {
    text: input.text,
    clientKey: input.clientKey,
    replyContext: { template: JSON.stringify(input.template) },
    at: ctx.clock.now(),
  })
}

/**
 * The outbox: the message and its send job commit together, so a reply is either not there at all or certain to
 * be sent. The same client key twice answers the first reply and sends nothing more.
 */
async function queueReply(
  ctx: AppContext,
  user: User,
  actor: Actor,
  conversation: ConversationSummary,
  input: {
    text: string
    clientKey: string
    replyContext: Record<string, string>
    replyToExternalId?: string | null
    /** A file of ours the reply carries (its text, if any, the caption). */
    file?: Static<typeof MessageAttachment>
    /** Text the platform cannot carry with the file: a second message, sent right after it. */
    textAfter?: string
    at: Date
  },
): Promise<Message> {
  const conversationId = conversation.id
  const id = await ctx.db
    .transaction()
    .execute(async (trx) => {
      const base = {
        conversationId,
        channelId: conversation.channel.id,
        authorUserId: user.userId,
        replyContext: input.replyContext,
        replyToExternalId: input.replyToExternalId ?? null,
      }
      const replyId = await insertQueuedReply(trx, {
        ...base,
        text: input.text,
        clientKey: input.clientKey,
        ...(input.file && { attachments: [input.file] }),
        at: input.at,
      })
      if (!replyId) return undefined
      const ids = [replyId]
      if (input.file?.fileId && !(await attachFileToMessage(trx, input.file.fileId, replyId))) {
        throw new AppError('conflict', 'That file went with another reply already: attach it again to send it twice.')
      }
      // A millisecond later, so the outbox, which sends a conversation's replies in order, sends the file first.
      if (input.textAfter) {
        const textId = await insertQueuedReply(trx, { ...base, text: input.textAfter, at: new Date(input.at.getTime() + 1) })
        if (textId) ids.push(textId)
      }
      for (const messageId of ids) await enqueueInTx(trx, sendReplyTask, { messageId, attempt: 1 }, { queueName: replyQueue(conversationId) })
      // A person's reply meets the response targets and pauses the resolution clock: the SLA consumer follows.
      await recordMessageChanges(trx, 'message.created', ids, agent(user))
      await trx.deleteFrom('drafts').where('userId', '=', user.userId).where('conversationId', '=', conversationId).execute()
      await recordAudit(trx, { action: 'conversation.replied', actor, target: { type: 'conversation', id: conversationId }, details: { messageId: replyId } })
      return replyId
    })
    .catch((error: unknown) => {
      // Two private replies to one comment at once: the database holds Meta's rule of one.
      if ((error as { constraint?: string }).constraint === 'messages_one_private_reply') {
        throw new AppError('conflict', 'This comment has had its private reply already: the platform allows one per comment.')
      }
      throw error
    })
  // Lost a race with the same key: the other request stored it.
  const replyId =
    id ??
    (
      await ctx.db
        .selectFrom('messages')
        .select('id')
        .where('conversationId', '=', conversationId)
        .where('clientKey', '=', input.clientKey)
        .executeTakeFirstOrThrow()
    ).id
  return message(ctx.db, replyId)
}

export async function addNote(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  conversationId: string,
  input: { text: string; clientKey: string; mentions?: string[] },
): Promise<Message> {
  const user = requireUser(identity)
  const conversation = await visibleConversation(ctx.db, identity, conversationId)
  const teammates = new Set((await teamMembers(ctx.db, conversation.teamId)).map((member) => member.id))
  if ((input.mentions ?? []).some((id) => !teammates.has(id))) {
    throw new AppError('validation_failed', 'Only teammates who can see this conversation can be mentioned.')
  }
  const row = await ctx.db.transaction().execute(async (trx) => {
    const noteId = await insertActivity(trx, {
      conversationId,
      channelId: conversation.channel.id,
      kind: 'note',
      text: input.text,
      authorUserId: user.userId,
      clientKey: input.clientKey,
      at: ctx.clock.now(),
    })
    const inserted = noteId ? { id: noteId } : undefined
    if (!inserted) return inserted
    await recordAudit(trx, { action: 'conversation.noted', actor, target: { type: 'conversation', id: conversationId }, details: { messageId: inserted.id } })
    // Notes are counted apart (never as a response): the reports hear of it through the record.
    await recordMessageChanges(trx, 'message.created', [inserted.id], agent(user))
    const mentioned = [...new Set(input.mentions ?? [])].filter((id) => id !== user.userId)
    await recordNotifications(
      trx,
      mentioned.map((userId) => ({
        userId,
        notification: { kind: 'mentioned', conversationId, by: { id: user.userId, name: user.name }, preview: input.text.slice(0, 140) } satisfies Notification,
      })),
    )
    await enqueueMentionEmails(ctx, trx, inserted.id, mentioned)
    return inserted
  })
  const noteId =
    row?.id ??
    (
      await ctx.db
        .selectFrom('messages')
        .select('id')
        .where('conversationId', '=', conversationId)
        .where('clientKey', '=', input.clientKey)
        .executeTakeFirstOrThrow()
    ).id
  return message(ctx.db, noteId)
}

/** Agents may take a conversation (or let go of their own); leads and admins assign anyone of its team. */
export async function assignConversation(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  conversationId: string,
  assigneeId: string | null,
): Promise<ConversationSummary> {
  const user = requireUser(identity)
  const conversation = await visibleConversation(ctx.db, identity, conversationId)
  const isLead = hasRole(user.role, 'lead')
  if (!isLead) {
    // Taking a conversation a teammate has is a transfer: a lead's call.
    const isClaim = assigneeId === user.userId && (conversation.assignee === null || conversation.assignee.id === user.userId)
    const isLettingGo = assigneeId === null && conversation.assignee?.id === user.userId
    if (!isClaim && !isLettingGo) throw new AppError('forbidden', 'Agents can take a conversation or let go of their own; a lead assigns others.')
  }
  let assigneeName: string | null = null
  if (assigneeId) {
    const assignee = await ctx.db
      .selectFrom('users')
      .select(['id', 'name', 'role', 'active', sql<string[]>`array(select team_id from team_members m where m.user_id = users.id)`.as('teamIds')])
      .where('id', '=', assigneeId)
      .executeTakeFirst()
    const canWorkIt = assignee?.active && (assignee.role === 'admin' || assignee.teamIds.includes(conversation.teamId))
    if (!assignee || !canWorkIt) throw new AppError('validation_failed', "The assignee must be an active member of the conversation's team.")
    assigneeName = assignee.name
  }
  if ((conversation.assignee?.id ?? null) === assigneeId) return conversation
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('conversations').set({ assigneeId, updatedAt: now }).where('id', '=', conversationId).execute()
    const text =
      assigneeId === null
        ? `${user.name} unassigned the conversation`
        : assigneeId === user.userId
          ? `${user.name} took the conversation`
          : `${user.name} assigned the conversation to ${assigneeName}`
    const id = await recordEvent(trx, conversationId, conversation.channel.id, user.userId, text, now)
    await recordAudit(trx, {
      action: 'conversation.assigned',
      actor,
      target: { type: 'conversation', id: conversationId },
      details: { from: conversation.assignee?.id ?? null, to: assigneeId },
    })
    // Back in the queue, or capacity freed: auto-assignment looks again (its consumer follows).
    await recordChanges(trx, [
      {
        type: 'conversation.assigned',
        conversationId,
        actor: agent(user),
        data: { assigneeId, previousAssigneeId: conversation.assignee?.id ?? null },
      },
    ])
    await recordMessageChanges(trx, 'message.created', [id], agent(user))
    if (assigneeId && assigneeId !== user.userId) {
      await recordNotifications(trx, [
        {
          userId: assigneeId,
          notification: { kind: 'assigned', conversationId, by: { id: user.userId, name: user.name }, preview: conversation.lastMessagePreview },
        },
      ])
    }
    return id
  })
  return summaryAfter(ctx, conversationId)
}

export async function setConversationStatus(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  conversationId: string,
  input: { status: ConversationStatus; snoozedUntil?: string },
): Promise<ConversationSummary> {
  const user = requireUser(identity)
  const conversation = await visibleConversation(ctx.db, identity, conversationId)
  const now = ctx.clock.now()
  if (input.status === 'snoozed' && (!input.snoozedUntil || Date.parse(input.snoozedUntil) <= now.getTime())) {
    throw new AppError('validation_failed', 'Snooze until a time in the future.')
  }
  if (input.status !== 'snoozed' && input.snoozedUntil) throw new AppError('validation_failed', 'Only a snooze has an end time.')
  const snoozedUntil = input.status === 'snoozed' ? new Date(input.snoozedUntil as string) : null
  if (input.status === conversation.status && (snoozedUntil?.toISOString() ?? null) === conversation.snoozedUntil) return conversation
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('conversations')
      .set({ status: input.status, snoozedUntil, updatedAt: now, ...(input.status === 'resolved' && { resolvedAt: now }) })
      .where('id', '=', conversationId)
      .execute()
    if (input.status === 'resolved') await recordResolution(trx, { conversationId, at: now, by: user.userId, assigneeId: conversation.assignee?.id ?? null })
    if (snoozedUntil) await enqueueInTx(trx, wakeTask, { conversationId }, { runAt: snoozedUntil, jobKey: wakeJobKey(conversationId) })
    const verb = { open: 'reopened', resolved: 'resolved', snoozed: `snoozed until ${snoozedUntil?.toISOString()}` }[input.status]
    const id = await recordEvent(trx, conversationId, conversation.channel.id, user.userId, `${user.name} ${verb} the conversation`, now)
    await recordAudit(trx, {
      action: 'conversation.status_changed',
      actor,
      target: { type: 'conversation', id: conversationId },
      details: { from: conversation.status, to: input.status, ...(snoozedUntil && { snoozedUntil: snoozedUntil.toISOString() }) },
    })
    // Resolving meets the running targets; the customer's next message starts a new cycle: the SLA consumer follows.
    const reason = { open: 'reopened', resolved: 'resolved', snoozed: 'snoozed' }[input.status]
    await recordChanges(trx, [
      {
        type: 'conversation.status_changed',
        conversationId,
        actor: agent(user),
        data: { from: conversation.status, to: input.status, reason, snoozedUntil: snoozedUntil?.toISOString() ?? null },
      },
    ])
    await recordMessageChanges(trx, 'message.created', [id], agent(user))
    return id
  })
  return summaryAfter(ctx, conversationId)
}

/** Queues a failed reply again, from its first attempt. */
export async function retryReply(ctx: AppContext, identity: Identity, actor: Actor, messageId: string): Promise<Message> {
  const user = requireUser(identity)
  const row = await ctx.db.selectFrom('messages').select(['id', 'conversationId', 'status', 'kind', 'direction']).where('id', '=', messageId).executeTakeFirst()
  if (!row) throw new AppError('not_found', 'No such message.')
  await visibleConversation(ctx.db, identity, row.conversationId)
  const isRetryable = row.status === 'failed' || row.status === 'unknown'
  if (row.kind !== 'message' || row.direction !== 'outbound' || !isRetryable) {
    throw new AppError('conflict', 'Only a failed reply, or one whose delivery is unknown, can be sent again.')
  }
  await ctx.db.transaction().execute(async (trx) => {
    const requeued = await trx
      .updateTable('messages')
      .set({ status: 'queued', error: null, sendStartedAt: null, updatedAt: ctx.clock.now() })
      .where('id', '=', messageId)
      .where('status', '=', row.status)
      .where('externalId', 'is', null)
      .executeTakeFirst()
    // A concurrent retry (a double click) requeued it first: a second job would send the reply twice.
    if (requeued.numUpdatedRows === 0n) return false
    // Counted as a reply again (a failed one was not): the reports and the SLA follow the record.
    await recordMessageChanges(trx, 'message.updated', [messageId], agent(user))
    await enqueueInTx(trx, sendReplyTask, { messageId, attempt: 1 }, { queueName: replyQueue(row.conversationId) })
    await recordAudit(trx, {
      action: 'conversation.reply_retried',
      actor,
      target: { type: 'conversation', id: row.conversationId },
      details: { messageId, was: row.status },
    })
    return true
  })
  return message(ctx.db, messageId)
}

/** The agent saw on the platform that a reply whose delivery was unknown did reach the customer. */
export async function markReplySent(ctx: AppContext, identity: Identity, actor: Actor, messageId: string): Promise<Message> {
  const user = requireUser(identity)
  const row = await ctx.db.selectFrom('messages').select(['id', 'conversationId', 'status', 'kind', 'direction']).where('id', '=', messageId).executeTakeFirst()
  if (!row) throw new AppError('not_found', 'No such message.')
  await visibleConversation(ctx.db, identity, row.conversationId)
  if (row.kind !== 'message' || row.direction !== 'outbound' || row.status !== 'unknown') {
    throw new AppError('conflict', 'Only a reply whose delivery is unknown can be marked as sent.')
  }
  await ctx.db.transaction().execute(async (trx) => {
    const marked = await trx
      .updateTable('messages')
      .set({ status: 'sent', error: null, updatedAt: ctx.clock.now() })
      .where('id', '=', messageId)
      .where('status', '=', 'unknown')
      .executeTakeFirst()
    if (marked.numUpdatedRows === 0n) return false
    await recordMessageChanges(trx, 'message.updated', [messageId], agent(user))
    await recordAudit(trx, {
      action: 'conversation.reply_marked_sent',
      actor,
      target: { type: 'conversation', id: row.conversationId },
      details: { messageId },
    })
    return true
  })
  return message(ctx.db, messageId)
}

/** After the commit: the conversation's new state for the caller (the consoles hear of it from the record of changes). */
async function summaryAfter(ctx: AppContext, conversationId: string): Promise<ConversationSummary> {
  return summary(ctx.db, conversationId)
}

/** Read up to now, for the signed-in user: the conversation stops counting as unread for them. */
export async function markConversationRead(ctx: AppContext, identity: Identity, conversationId: string): Promise<ConversationSummary> {
  const user = requireUser(identity)
  await visibleConversation(ctx.db, identity, conversationId)
  const now = ctx.clock.now()
  await ctx.db
    .insertInto('conversationReads')
    .values({ userId: user.userId, conversationId, readAt: now })
    .onConflict((oc) => oc.columns(['userId', 'conversationId']).doUpdateSet({ readAt: now }))
    .execute()
  const [row] = await findConversationSummaries(ctx.db, [conversationId], user.userId)
  if (!row) throw new AppError('not_found', 'No such conversation.')
  return toConversationSummary(row)
}

/** For the inbox's views: how many each holds for the caller, and how many of those are unread. */
export async function countViews(ctx: AppContext, identity: Identity): Promise<{ views: Record<string, { total: number; unread: number }> }> {
  const user = requireUser(identity)
  const teams = visibleTeamIds(identity)
  const unread = sql<boolean>`c.last_inbound_at > coalesce(r.read_at, '-infinity')`
  const soon = new Date(ctx.clock.now().getTime() + slaAmberMinutes * 60_000)
  let query = ctx.db
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channelId')
    .leftJoin('conversationReads as r', (join) => join.onRef('r.conversationId', '=', 'c.id').on('r.userId', '=', user.userId))
    .where('c.status', 'in', ['open', 'snoozed'])
    .select([
      sql<number>`count(*) filter (where c.status = 'open' and c.assignee_id is null)::int`.as('unassigned'),
      sql<number>`count(*) filter (where c.status = 'open' and c.assignee_id is null and ${unread})::int`.as('unassignedUnread'),
      sql<number>`count(*) filter (where c.status = 'open' and c.assignee_id = ${user.userId}::uuid)::int`.as('mine'),
      sql<number>`count(*) filter (where c.status = 'open' and c.assignee_id = ${user.userId}::uuid and ${unread})::int`.as('mineUnread'),
      sql<number>`count(*) filter (where c.status = 'open' and ${teamOfConversation('c')} = any(${idsOrNone(user.teamIds)}::uuid[]))::int`.as('teams'),
      sql<number>`count(*) filter (where c.status = 'open' and ${teamOfConversation('c')} = any(${idsOrNone(user.teamIds)}::uuid[]) and ${unread})::int`.as(
        'teamsUnread',
      ),
      sql<number>`count(*) filter (where c.status = 'open')::int`.as('open'),
      sql<number>`count(*) filter (where c.status = 'open' and ${unread})::int`.as('openUnread'),
      sql<number>`count(*) filter (where c.status = 'open' and c.sla_due_at <= ${soon})::int`.as('atRisk'),
      sql<number>`count(*) filter (where c.status = 'open' and c.sla_due_at <= ${soon} and ${unread})::int`.as('atRiskUnread'),
      sql<number>`count(*) filter (where c.status = 'open' and ${windowClosing('c', 'ch', ctx.clock.now())})::int`.as('windowClosing'),
      sql<number>`count(*) filter (where c.status = 'open' and ${windowClosing('c', 'ch', ctx.clock.now())} and ${unread})::int`.as('windowClosingUnread'),
      sql<number>`count(*) filter (where c.status = 'snoozed')::int`.as('snoozed'),
      sql<number>`count(*) filter (where c.status = 'snoozed' and ${unread})::int`.as('snoozedUnread'),
    ])
  if (teams) query = query.where(teamOfConversation('c'), 'in', idsOrNone(teams))
  // A follow-up may wait on a resolved conversation too: counted apart, from the scheduled ones.
  let followUps = ctx.db
    .selectFrom('followUps as f')
    .innerJoin('conversations as c', 'c.id', 'f.conversationId')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('f.status', '=', 'scheduled')
  if (teams) followUps = followUps.where(teamOfConversation('c'), 'in', idsOrNone(teams))
  let lowRated = ctx.db
    .selectFrom('conversations as c')
    .select(sql<number>`count(*)::int`.as('n'))
    .where(lowRating('c', ctx.clock.now()))
  if (teams) lowRated = lowRated.where(teamOfConversation('c'), 'in', idsOrNone(teams))
  const [row, scheduled, low] = await Promise.all([query.executeTakeFirstOrThrow(), followUps.executeTakeFirstOrThrow(), lowRated.executeTakeFirstOrThrow()])
  return {
    views: {
      unassigned: { total: row.unassigned, unread: row.unassignedUnread },
      mine: { total: row.mine, unread: row.mineUnread },
      teams: { total: row.teams, unread: row.teamsUnread },
      open: { total: row.open, unread: row.openUnread },
      at_risk: { total: row.atRisk, unread: row.atRiskUnread },
      window_closing: { total: row.windowClosing, unread: row.windowClosingUnread },
      follow_ups: { total: scheduled.n, unread: 0 },
      // Agents get no count of a view that is not theirs (see listConversations).
      ...(hasRole(user.role, 'lead') && { low_ratings: { total: low.n, unread: 0 } }),
      snoozed: { total: row.snoozed, unread: row.snoozedUnread },
    },
  }
}

type BulkAction =
  | { type: 'assign'; assigneeId: string | null }
  | { type: 'status'; status: ConversationStatus; snoozedUntil?: string }
  | { type: 'priority'; priority: ConversationSummary['priority'] }
  | { type: 'tag'; tag: string }

/**
 * The same action on many conversations, each through the single-conversation path with all its checks: one
 * refused (another team's, a transfer an agent may not make) fails alone and is reported, the rest apply.
 */
export async function bulkUpdate(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  ids: string[],
  action: BulkAction,
): Promise<{ updated: ConversationSummary[]; failed: { id: string; error: string }[] }> {
  const updated: ConversationSummary[] = []
  const failed: { id: string; error: string }[] = []
  for (const id of ids) {
    try {
      switch (action.type) {
        case 'assign':
          updated.push(await assignConversation(ctx, identity, actor, id, action.assigneeId))
          break
        case 'status':
          updated.push(
            await setConversationStatus(ctx, identity, actor, id, { status: action.status, ...(action.snoozedUntil && { snoozedUntil: action.snoozedUntil }) }),
          )
          break
        case 'priority':
          updated.push(await updateConversation(ctx, identity, actor, id, { priority: action.priority }))
          break
        case 'tag': {
          const current = await visibleConversation(ctx.db, identity, id)
          const tags = [...new Set([...current.tags, action.tag.toLowerCase()])]
          updated.push(await updateConversation(ctx, identity, actor, id, { tags }))
          break
        }
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      failed.push({ id, error: error.message })
    }
  }
  return { updated, failed }
}

/**
 * Moves the conversation to another team, whose members work it from now on: it leaves its assignee (who may not
 * be of that team) and waits unassigned in the new team's queue. Both teams' consoles hear of it.
 */
export async function transferConversation(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  conversationId: string,
  teamId: string,
): Promise<ConversationSummary> {
  const user = requireUser(identity)
  const conversation = await visibleConversation(ctx.db, identity, conversationId)
  if (teamId === conversation.teamId) return conversation
  const team = await ctx.db.selectFrom('teams').select(['id', 'name']).where('id', '=', teamId).executeTakeFirst()
  if (!team) throw new AppError('validation_failed', 'No such team.')
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('conversations').set({ teamId, transferred: true, assigneeId: null, updatedAt: now }).where('id', '=', conversationId).execute()
    const id = await recordEvent(trx, conversationId, conversation.channel.id, user.userId, `${user.name} moved the conversation to ${team.name}`, now)
    await recordAudit(trx, {
      action: 'conversation.transferred',
      actor,
      target: { type: 'conversation', id: conversationId },
      details: { fromTeam: conversation.teamId, toTeam: teamId, unassigned: conversation.assignee?.id ?? null },
    })
    // Another team: another calendar, perhaps another policy, and its queue. The team it left hears too.
    await recordChanges(trx, [
      {
        type: 'conversation.transferred',
        conversationId,
        teamId,
        actor: agent(user),
        data: { fromTeamId: conversation.teamId, toTeamId: teamId, fromAssigneeId: conversation.assignee?.id ?? null, toAssigneeId: null },
      },
    ])
    await recordMessageChanges(trx, 'message.created', [id], agent(user))
    return id
  })
  return summaryAfter(ctx, conversationId)
}
