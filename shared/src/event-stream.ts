import { Type, type Static } from '@sinclair/typebox'
import { Id, StringEnum } from './common.js'
import { defineRoute } from './contract.js'
import { webhookEventTypes } from './webhooks.js'

/**
 * The live event stream: a WebSocket an integration keeps open to hear the catalogue's events as they happen.
 * Each event carries its `sequence`; a client that reconnects with `after=<the last sequence it received>` gets
 * everything since, once, as long as it is within the retention.
 */

export const EventStreamQuery = Type.Object({
  /** Resume after this sequence. Without it the stream starts at the newest event (nothing old is replayed). */
  after: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
  /** Comma-separated event types, or a prefix with `.*` (`conversation.*`); all of them when absent. */
  types: Type.Optional(Type.String({ maxLength: 2000 })),
  /** Only this team's events. */
  teamId: Type.Optional(Id),
})
export type EventStreamQuery = Static<typeof EventStreamQuery>

/** The event itself, exactly as a webhook delivers it (its `id` is the webhook-id). */
export const StreamedEvent = Type.Object({
  id: Type.String(),
  type: StringEnum(webhookEventTypes),
  occurred_at: Type.String(),
  team_id: Type.Union([Id, Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
})
export type StreamedEvent = Static<typeof StreamedEvent>

export const eventStreamErrorCodes = [
  /** `after` is older than what is kept: events were pruned in between; `oldest` says where the stream could start. */
  'cursor_expired',
  /** `after` is beyond the newest event this Carebox ever streamed (another installation's cursor, say). */
  'cursor_unknown',
  /** The client read too slowly and its buffer filled: reconnect with `after=resumeAfter`. */
  'slow_consumer',
  /** Carebox is stopping: reconnect with `after=resumeAfter` (to another node, or in a moment). */
  'shutting_down',
  /** The token was revoked, or lost the scope or changed teams, while connected. */
  'access_revoked',
] as const
export type EventStreamErrorCode = (typeof eventStreamErrorCodes)[number]

/** Every message the server sends is one JSON text frame of one of these shapes. */
export const EventStreamFrame = Type.Union([
  /** First, once: where the stream starts (`after`) and the newest sequence at that moment. */
  Type.Object({ type: Type.Literal('ready'), after: Type.Number(), head: Type.Number() }),
  Type.Object({ type: Type.Literal('event'), sequence: Type.Number(), event: StreamedEvent }),
  /** Last, just before the server closes the socket. */
  Type.Object({
    type: Type.Literal('error'),
    code: StringEnum(eventStreamErrorCodes),
    message: Type.String(),
    /** Where to resume: the last sequence sent before this frame. */
    resumeAfter: Type.Optional(Type.Number()),
    /** For cursor_expired: the oldest sequence still kept, minus one (a valid `after`). */
    oldest: Type.Optional(Type.Number()),
  }),
])
export type EventStreamFrame = Static<typeof EventStreamFrame>

/** WebSocket close codes the stream uses (4000–4999 are the application's). */
export const eventStreamCloseCodes: Record<EventStreamErrorCode, number> = {
  cursor_expired: 4410,
  cursor_unknown: 4404,
  slow_consumer: 4008,
  shutting_down: 1001,
  access_revoked: 4403,
}

export const eventStreamApi = {
  stream: defineRoute({
    method: 'GET',
    url: '/api/v1/events/stream',
    summary:
      'The live event stream, over a WebSocket (send the Upgrade request with `Authorization: Bearer <token>`, scope events:read; ' +
      'API tokens only). Every frame is JSON: `ready`, then `event` frames with their `sequence`, and `error` before a close. A plain GET answers 400.',
    tags: ['events'],
    access: { role: 'admin', scope: 'events:read' },
    schema: { querystring: EventStreamQuery, response: { 200: EventStreamFrame } },
  }),
}
