import { Type, type Static } from '@sinclair/typebox'
import type { ChannelKind } from './channels.js'
import { Id, IsoDateTime } from './common.js'
import { defineRoute } from './contract.js'
import { Teammate } from './conversations.js'
import { replyWindow } from './reply-rules.js'

/**
 * A follow-up: at a time an agent picks, the conversation comes back to its assignee (or its team) with a note,
 * and Carebox may send a message prepared now, if the platform allows it then. A customer who writes first
 * cancels it: they are back, and the agent answers them instead.
 */
export const FollowUpMessage = Type.Union([
  Type.Object({ kind: Type.Literal('text'), text: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('template'),
      templateId: Id,
      values: Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 1000 }), { maxProperties: 40 }),
    },
    { additionalProperties: false },
  ),
])
export type FollowUpMessage = Static<typeof FollowUpMessage>

export const followUpStatuses = ['scheduled', 'done', 'cancelled'] as const

export const FollowUp = Type.Object({
  id: Id,
  conversationId: Id,
  dueAt: IsoDateTime,
  note: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([FollowUpMessage, Type.Null()]),
  status: Type.Union(followUpStatuses.map((s) => Type.Literal(s))),
  /** What Carebox expects to do at the time (when scheduled), or what it did (once done or cancelled). */
  outcome: Type.String(),
  createdBy: Type.Union([Teammate, Type.Null()]),
  createdAt: IsoDateTime,
})
export type FollowUp = Static<typeof FollowUp>

/**
 * Whether a prepared message can go out at `at`, judged by the platform's window then (the customer's last message
 * is what opens it): the words shown when a follow-up is scheduled, and the check made again at its time.
 */
export function followUpPlan(
  channel: { kind: ChannelKind; conversationKind: 'dm' | 'public'; lastInboundAt: string | null },
  message: FollowUpMessage | null,
  at: Date,
): { sends: boolean; words: string } {
  if (!message) return { sends: false, words: 'The conversation comes back to the inbox with the note; nothing is sent.' }
  if (message.kind === 'template') {
    if (channel.kind !== 'whatsapp') return { sends: false, words: 'Templates are sent to WhatsApp chats only: nothing will be sent.' }
    return { sends: true, words: 'The WhatsApp template will be sent then, if Meta still has it approved.' }
  }
  const window = replyWindow(channel.kind, channel.conversationKind, channel.lastInboundAt, at)
  if (window.state === 'open') return { sends: true, words: 'The message will be sent then as a normal reply.' }
  if (window.state === 'human_agent')
    return { sends: true, words: "The message will be sent then with Meta's human-agent tag (within 7 days of the customer's last message)." }
  return { sends: false, words: `The message cannot be sent then: ${window.reason} The conversation will wait for you instead.` }
}

const ConversationParams = Type.Object({ id: Id })

export const followUpsApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/conversations/:id/follow-ups',
    summary: "A conversation's follow-ups, the next one first",
    tags: ['follow-ups'],
    access: { role: 'agent' },
    schema: { params: ConversationParams, response: { 200: Type.Object({ items: Type.Array(FollowUp) }) } },
  }),
  create: defineRoute({
    method: 'POST',
    url: '/api/conversations/:id/follow-ups',
    summary: 'Schedule a follow-up (replaces the scheduled one, if any): the answer says what will happen at the time',
    tags: ['follow-ups'],
    access: { role: 'agent' },
    schema: {
      params: ConversationParams,
      body: Type.Object(
        {
          dueAt: IsoDateTime,
          note: Type.Optional(Type.String({ maxLength: 2000 })),
          message: Type.Optional(FollowUpMessage),
        },
        { additionalProperties: false },
      ),
      response: { 200: FollowUp },
    },
  }),
  cancel: defineRoute({
    method: 'DELETE',
    url: '/api/conversations/:id/follow-ups/:followUpId',
    summary: 'Cancel a scheduled follow-up',
    tags: ['follow-ups'],
    access: { role: 'agent' },
    schema: { params: Type.Object({ id: Id, followUpId: Id }), response: { 200: FollowUp } },
  }),
}
