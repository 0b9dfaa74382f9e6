import { Type, type Static } from '@sinclair/typebox'
import { ChannelKind } from './channels.js'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'

export const ConversationStatus = Type.Union([Type.Literal('open'), Type.Literal('snoozed'), Type.Literal('resolved')])
export type ConversationStatus = Static<typeof ConversationStatus>

export const ContactSummary = Type.Object({
  id: Id,
  name: Type.Union([Type.String(), Type.Null()]),
  handle: Type.Union([Type.String(), Type.Null()]),
})
export type ContactSummary = Static<typeof ContactSummary>

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
})
export type ConversationSummary = Static<typeof ConversationSummary>

export const MessageAttachment = Type.Object({
  kind: Type.String(),
  url: Type.Optional(Type.String()),
  mediaId: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  mimeType: Type.Optional(Type.String()),
})

export const messageStatuses = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const
export const MessageStatus = StringEnum(messageStatuses)

export const Message = Type.Object({
  id: Id,
  conversationId: Id,
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
})
export type Message = Static<typeof Message>

export const ConversationPage = Type.Object({
  items: Type.Array(ConversationSummary),
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})
export type ConversationPage = Static<typeof ConversationPage>

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
          status: Type.Optional(ConversationStatus),
          channelId: Type.Optional(Id),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: ConversationPage },
    },
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
}
