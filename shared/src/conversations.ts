import { Type, type Static } from '@sinclair/typebox'
import { ChannelKind } from './channels.js'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'
import { LanguageCode, Priority, Tag } from './conversation-fields.js'
import { MessageSentiment, SentimentLabel } from './sentiment.js'
import { ConversationSla, SlaFilter, SlaTarget } from './sla.js'

export const ConversationStatus = Type.Union([Type.Literal('open'), Type.Literal('snoozed'), Type.Literal('resolved')])
export type ConversationStatus = Static<typeof ConversationStatus>

export const ContactSummary = Type.Object({
  id: Id,
  name: Type.Union([Type.String(), Type.Null()]),
  handle: Type.Union([Type.String(), Type.Null()]),
})
export type ContactSummary = Static<typeof ContactSummary>

export { priorities, Priority, Tag, LanguageCode } from './conversation-fields.js'

/** A teammate as the console shows them. */
export const Teammate = Type.Object({ id: Id, name: Type.String() })
export type Teammate = Static<typeof Teammate>

export const ConversationSummary = Type.Object({
  id: Id,
  channel: Type.Object({ id: Id, kind: ChannelKind, name: Type.String() }),
  kind: Type.Union([Type.Literal('dm'), Type.Literal('public')]),
  status: ConversationStatus,
  subject: Type.Union([Type.String(), Type.Null()]),
  contact: ContactSummary,
  messageCount: Type.Integer(),
  lastMessageAt: IsoDateTime,
  lastMessagePreview: Type.String(),
  lastInboundAt: Type.Union([IsoDateTime, Type.Null()]),
  assignee: Type.Union([Teammate, Type.Null()]),
  teamId: Id,
  priority: Priority,
  tags: Type.Array(Type.String()),
  snoozedUntil: Type.Union([IsoDateTime, Type.Null()]),
  /** The customer wrote since the signed-in user last opened it (always false for API tokens). */
  unread: Type.Boolean(),
  /** Detected from the customer's latest message that was long enough to tell (an IETF language part). */
  language: Type.Union([Type.String(), Type.Null()]),
  /** The nearest running SLA deadline; null when no policy applies or nothing is running. */
  sla: Type.Union([ConversationSla, Type.Null()]),
  /** A public thread: who wrote its latest comment, by name or else handle (the thread is named after whoever wrote first). */
  latestCommenter: Type.Optional(Type.String()),
  /** The effective sentiment of the customer's latest message (a person's label, else the model's); null before one is labelled. */
  sentiment: Type.Optional(Type.Union([SentimentLabel, Type.Null()])),
})
export type ConversationSummary = Static<typeof ConversationSummary>

export const MessageAttachment = Type.Object({
  kind: Type.String(),
  url: Type.Optional(Type.String()),
  mediaId: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  mimeType: Type.Optional(Type.String()),
  /** A file an agent sent: kept by Carebox (its storage), served from there rather than fetched from the platform. */
  fileId: Type.Optional(Id),
  size: Type.Optional(Type.Integer()),
})

/**
 * unknown: Carebox asked the platform to send a reply and never learned whether it did (a timeout, a dropped
 * connection), and the platform offers no way to find out or to repeat it harmlessly. The agent decides: send it
 * again, or mark it sent. `error` says what to check.
 */
export const messageStatuses = ['received', 'queued', 'sent', 'delivered', 'read', 'failed', 'unknown'] as const
export const MessageStatus = StringEnum(messageStatuses)

/** message: written to or by the customer. note: private, between teammates. event: what happened (assigned, resolved…). */
export const messageKinds = ['message', 'note', 'event'] as const
export const MessageKind = StringEnum(messageKinds)

export const Message = Type.Object({
  id: Id,
  conversationId: Id,
  kind: MessageKind,
  /** The teammate who wrote a reply or note (null for the customer's messages and events). */
  agent: Type.Union([Teammate, Type.Null()]),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  authorKind: Type.Union([Type.Literal('contact'), Type.Literal('agent'), Type.Literal('platform')]),
  /** Who wrote a customer's message (in a public thread, one of many people); null for ours. */
  author: Type.Union([ContactSummary, Type.Null()]),
  text: Type.String(),
  attachments: Type.Array(MessageAttachment),
  status: MessageStatus,
  error: Type.Union([Type.String(), Type.Null()]),
  reactions: Type.Array(Type.Object({ emoji: Type.String(), by: Type.String() })),
  sentAt: IsoDateTime,
  editedAt: Type.Union([IsoDateTime, Type.Null()]),
  deletedAt: Type.Union([IsoDateTime, Type.Null()]),
  /** Sent by a rule (an out-of-hours acknowledgement), not a person: never counted as a human response. */
  automated: Type.Boolean(),
  /**
   * A customer's message kept without reopening the conversation: a satisfaction rating, the comment after it, or a
   * short thanks after a resolve.
   */
  closesLoop: Type.Optional(Type.Union([Type.Literal('rating'), Type.Literal('comment'), Type.Literal('thanks')])),
  /** A WhatsApp template send: which template (the text is what the customer received). */
  template: Type.Optional(Type.Object({ name: Type.String(), language: Type.String() })),
  /** A satisfaction survey Carebox sent: the answers the customer could tap (none where they type, as on X). */
  survey: Type.Optional(Type.Object({ options: Type.Array(Type.String()) })),
  /** A reply in a public thread: the comment it answers (its author and the start of its text). */
  inReplyTo: Type.Optional(Type.Object({ messageId: Type.Union([Id, Type.Null()]), author: Type.Union([Type.String(), Type.Null()]), excerpt: Type.String() })),
  /**
   * A customer's comment in a Facebook or Instagram public thread: what was done to it on the platform, whether
   * its one private reply was sent, and the latest action asked for (queued, done, or failed with the reason).
   */
  comment: Type.Optional(
    Type.Object({
      hidden: Type.Boolean(),
      liked: Type.Boolean(),
      privateReplied: Type.Boolean(),
      /** Until when the platform accepts its private reply (7 days after it). */
      privateReplyUntil: IsoDateTime,
      action: Type.Union([
        Type.Object({
          action: Type.Union([Type.Literal('hide'), Type.Literal('unhide'), Type.Literal('delete'), Type.Literal('like')]),
          status: Type.Union([Type.Literal('queued'), Type.Literal('done'), Type.Literal('failed')]),
          error: Type.Union([Type.String(), Type.Null()]),
        }),
        Type.Null(),
      ]),
    }),
  ),
  /** A customer's message: its effective sentiment (a person's label wins over the model's). */
  sentiment: Type.Optional(MessageSentiment),
})
export type Message = Static<typeof Message>

export const ConversationPage = Type.Object({
  items: Type.Array(ConversationSummary),
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})
export type ConversationPage = Static<typeof ConversationPage>

/** The inbox's views: who the conversation waits on, and its state. */
export const conversationViews = [
  'unassigned',
  'mine',
  'teams',
  'open',
  'at_risk',
  'window_closing',
  'follow_ups',
  'low_ratings',
  'snoozed',
  'resolved',
  'all',
] as const

/** How long a rating of 1 or 2 keeps its conversation in the Low ratings view. */
export const lowRatingDays = 30
export const ConversationView = StringEnum(conversationViews)
export type ConversationView = Static<typeof ConversationView>

export const conversationViewLabels: Record<ConversationView, string> = {
  unassigned: 'Unassigned',
  mine: 'Mine',
  teams: 'My teams',
  open: 'All open',
  at_risk: 'At risk',
  window_closing: 'Window closing',
  follow_ups: 'Follow-ups',
  low_ratings: 'Low ratings',
  snoozed: 'Snoozed',
  resolved: 'Resolved',
  all: 'Everything',
}

/** Who the customer is, shown beside every conversation. */
export const CustomerPanel = Type.Object({
  id: Id,
  name: Type.Union([Type.String(), Type.Null()]),
  handle: Type.Union([Type.String(), Type.Null()]),
  language: Type.Union([Type.String(), Type.Null()]),
  firstSeenAt: IsoDateTime,
  lastSeenAt: IsoDateTime,
  tags: Type.Array(Type.String()),
  /** Custom attributes the team keeps: plan, order number, VIP… */
  attributes: Type.Record(Type.String(), Type.String()),
  notes: Type.Array(Type.Object({ id: Id, text: Type.String(), author: Type.Union([Teammate, Type.Null()]), createdAt: IsoDateTime })),
  /** Contacts merged into this one by hand, newest first; each can be undone. */
  merges: Type.Array(
    Type.Object({
      id: Id,
      merged: Type.Object({ id: Id, name: Type.Union([Type.String(), Type.Null()]), handle: Type.Union([Type.String(), Type.Null()]) }),
      mergedAt: IsoDateTime,
    }),
  ),
  identities: Type.Array(
    Type.Object({
      channel: Type.Object({ id: Id, kind: ChannelKind, name: Type.String() }),
      externalId: Type.String(),
      name: Type.Union([Type.String(), Type.Null()]),
      handle: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  /** Every conversation with this customer on channels the caller may see, newest first. */
  conversations: Type.Array(
    Type.Object({
      id: Id,
      channel: Type.Object({ id: Id, kind: ChannelKind, name: Type.String() }),
      kind: Type.Union([Type.Literal('dm'), Type.Literal('public')]),
      status: ConversationStatus,
      messageCount: Type.Integer(),
      lastMessageAt: IsoDateTime,
      lastMessagePreview: Type.String(),
    }),
  ),
})
export type CustomerPanel = Static<typeof CustomerPanel>

/** What the signed-in agent was writing in this conversation, kept on the server across devices and reloads. */
export const Draft = Type.Object({ text: Type.String(), mode: Type.Union([Type.Literal('reply'), Type.Literal('note')]), updatedAt: IsoDateTime })
export type Draft = Static<typeof Draft>

export const ConversationDetail = Type.Object({
  conversation: ConversationSummary,
  customer: CustomerPanel,
  draft: Type.Union([Draft, Type.Null()]),
  /** The conversation's SLA targets, newest cycle first (as GET /api/conversations/:id/sla). */
  sla: Type.Array(SlaTarget),
})
export type ConversationDetail = Static<typeof ConversationDetail>

/** Sent by the client with a new reply or note: the same key twice stores (and sends) it once. */
const ClientKey = Id

const ConversationParams = Type.Object({ id: Id })

export const conversationsApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/conversations',
    summary: 'Conversations, most recent activity first, with cursor paging',
    tags: ['conversations'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: {
      querystring: Type.Object(
        {
          view: Type.Optional(ConversationView),
          status: Type.Optional(ConversationStatus),
          channelId: Type.Optional(Id),
          priority: Type.Optional(Priority),
          tag: Type.Optional(Tag),
          /** The conversation's language, as detected from the customer's messages. */
          language: Type.Optional(LanguageCode),
          /** Where the nearest SLA deadline stands: breached, at_risk (15 minutes or less), on_track, paused, none. */
          sla: Type.Optional(SlaFilter),
          /** recent: latest activity first (the default); next_breach: nearest SLA deadline first. */
          sort: Type.Optional(StringEnum(['recent', 'next_breach'] as const)),
          /** Words in messages, or part of a customer's name or handle. */
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          /** Assigned to this teammate. */
          assigneeId: Type.Optional(Id),
          /** Latest activity at or after this time. */
          from: Type.Optional(IsoDateTime),
          /** Latest activity before this time (not included). */
          to: Type.Optional(IsoDateTime),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: ConversationPage },
    },
  }),
  counts: defineRoute({
    method: 'GET',
    url: '/api/conversations/counts',
    summary: 'For each inbox view: how many conversations it holds, and how many of them are unread',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      response: {
        200: Type.Object({
          views: Type.Record(Type.String(), Type.Object({ total: Type.Integer(), unread: Type.Integer() })),
        }),
      },
    },
  }),
  markRead: defineRoute({
    method: 'POST',
    url: '/api/conversations/:id/read',
    summary: 'Mark the conversation read for you, up to now',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: { params: ConversationParams, response: { 200: ConversationSummary } },
  }),
  bulk: defineRoute({
    method: 'POST',
    url: '/api/conversations/bulk',
    summary: 'Assign, resolve, reopen, snooze or tag many conversations at once; each is checked and applied on its own',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      body: Type.Object(
        {
          ids: Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true }),
          action: Type.Union([
            Type.Object({ type: Type.Literal('assign'), assigneeId: Type.Union([Id, Type.Null()]) }, { additionalProperties: false }),
            Type.Object(
              { type: Type.Literal('status'), status: ConversationStatus, snoozedUntil: Type.Optional(IsoDateTime) },
              { additionalProperties: false },
            ),
            Type.Object({ type: Type.Literal('priority'), priority: Priority }, { additionalProperties: false }),
            Type.Object({ type: Type.Literal('tag'), tag: Tag }, { additionalProperties: false }),
          ]),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          updated: Type.Array(ConversationSummary),
          failed: Type.Array(Type.Object({ id: Id, error: Type.String() })),
        }),
      },
    },
  }),
  get: defineRoute({
    method: 'GET',
    url: '/api/conversations/:id',
    summary: 'A conversation with its customer panel: identities across channels and every earlier conversation',
    tags: ['conversations'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: { params: ConversationParams, response: { 200: ConversationDetail } },
  }),
  messages: defineRoute({
    method: 'GET',
    url: '/api/conversations/:id/messages',
    summary: "A conversation's messages in platform order",
    tags: ['conversations'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: {
      params: Type.Object({ id: Id }),
      response: { 200: Type.Object({ items: Type.Array(Message) }) },
    },
  }),
  reply: defineRoute({
    method: 'POST',
    url: '/api/conversations/:id/replies',
    summary: "Reply to the customer on the conversation's channel: queued, then sent by the outbox",
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      params: ConversationParams,
      body: Type.Object(
        {
          /** May be empty when a file goes with the reply. */
          text: Type.String({ maxLength: 10000 }),
          clientKey: ClientKey,
          /** A file uploaded for this reply (POST /api/conversations/:id/files). */
          fileId: Type.Optional(Id),
          /** Public comment threads: answer under the comment (public) or by a private message where allowed. */
          visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])),
          /** Public comment threads: the comment answered (default: the customer's latest). */
          replyToMessageId: Type.Optional(Id),
          /**
           * The newest message the sender had on screen. If a teammate's reply or note landed after it, the answer is
           * 409 crossed_reply, unless `confirmCrossing` says to send anyway.
           */
          seenUpTo: Type.Optional(Id),
          confirmCrossing: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      response: { 200: Message },
    },
  }),
  note: defineRoute({
    method: 'POST',
    url: '/api/conversations/:id/notes',
    summary: 'Add a private note, seen only by teammates',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      params: ConversationParams,
      body: Type.Object(
        {
          text: Type.String({ minLength: 1, maxLength: 10000 }),
          clientKey: ClientKey,
          /** Teammates @mentioned in the note: each gets a notification. */
          mentions: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Message },
    },
  }),
  assign: defineRoute({
    method: 'POST',
    url: '/api/conversations/:id/assign',
    summary: 'Assign to a teammate (agents: only themselves, to claim), or unassign with null',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      params: ConversationParams,
      body: Type.Object({ assigneeId: Type.Union([Id, Type.Null()]) }, { additionalProperties: false }),
      response: { 200: ConversationSummary },
    },
  }),
  status: defineRoute({
    method: 'POST',
    url: '/api/conversations/:id/status',
    summary: 'Resolve, reopen, or snooze until a time',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      params: ConversationParams,
      body: Type.Object({ status: ConversationStatus, snoozedUntil: Type.Optional(IsoDateTime) }, { additionalProperties: false }),
      response: { 200: ConversationSummary },
    },
  }),
  update: defineRoute({
    method: 'PATCH',
    url: '/api/conversations/:id',
    summary: "Change a conversation's priority or tags",
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      params: ConversationParams,
      body: Type.Object(
        { priority: Type.Optional(Priority), tags: Type.Optional(Type.Array(Tag, { maxItems: 20, uniqueItems: true })) },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: ConversationSummary },
    },
  }),
  transfer: defineRoute({
    method: 'POST',
    url: '/api/conversations/:id/transfer',
    summary: 'Move the conversation to another team, which works it from now on (unassigned, in its queue)',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      params: ConversationParams,
      body: Type.Object({ teamId: Id }, { additionalProperties: false }),
      response: { 200: ConversationSummary },
    },
  }),
  saveDraft: defineRoute({
    method: 'PUT',
    url: '/api/conversations/:id/draft',
    summary: 'Keep what you are writing in this conversation (an empty text deletes the draft)',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      params: ConversationParams,
      body: Type.Object(
        { text: Type.String({ maxLength: 10000 }), mode: Type.Union([Type.Literal('reply'), Type.Literal('note')]) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ draft: Type.Union([Draft, Type.Null()]) }) },
    },
  }),
  retry: defineRoute({
    method: 'POST',
    url: '/api/messages/:id/retry',
    summary: 'Send a failed reply, or one whose delivery is unknown, again',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: { params: Type.Object({ id: Id }), response: { 200: Message } },
  }),
  markSent: defineRoute({
    method: 'POST',
    url: '/api/messages/:id/mark-sent',
    summary: 'Record that a reply whose delivery is unknown did reach the customer (seen on the platform)',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: { params: Type.Object({ id: Id }), response: { 200: Message } },
  }),
}
