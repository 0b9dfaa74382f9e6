import { Type, type Static } from '@sinclair/typebox'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'

/**
 * The event types an endpoint can subscribe to: the names of the integrations catalogue that Carebox records
 * (conversation.updated and notification.created are internal and never sent).
 */
export const webhookEventTypes = [
  'conversation.created',
  'conversation.assigned',
  'conversation.transferred',
  'conversation.status_changed',
  'message.created',
  'message.updated',
  'contact.created',
  'contact.updated',
  'contact.merged',
  'sla.breached',
  'referral.received',
  'conversation.outcome',
] as const
export const WebhookEventType = StringEnum(webhookEventTypes)
export type WebhookEventType = (typeof webhookEventTypes)[number]

/** The type of the event "Send test event" delivers, whatever the endpoint subscribed to. */
export const webhookTestEventType = 'webhook.test'

export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const
export const WebhookDeliveryStatus = StringEnum(webhookDeliveryStatuses)
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number]

export const WebhookEndpoint = Type.Object({
  id: Id,
  url: Type.String(),
  description: Type.String(),
  /** Empty: every type. */
  eventTypes: Type.Array(WebhookEventType),
  /** Null: every team's events. */
  teamId: Type.Union([Id, Type.Null()]),
  /** An admin's exception for an on-premise receiver on a private or loopback address. */
  allowPrivateNetwork: Type.Boolean(),
  enabled: Type.Boolean(),
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  /** Since when every attempt failed (null: the last one succeeded, or none was made). */
  failingSince: Type.Union([IsoDateTime, Type.Null()]),
  /** Until when the receiver asked (Retry-After) to be left alone; nothing is sent before (null: not paused). */
  pausedUntil: Type.Union([IsoDateTime, Type.Null()]),
  /** Until when the secret before the last rotation still signs (null: no rotation in progress). */
  previousSecretUntil: Type.Union([IsoDateTime, Type.Null()]),
  createdAt: IsoDateTime,
})
export type WebhookEndpoint = Static<typeof WebhookEndpoint>

/** An endpoint with its signing secret (`whsec_…`): answered once, when created or rotated, never listed. */
export const WebhookEndpointWithSecret = Type.Object({ endpoint: WebhookEndpoint, secret: Type.String() })
export type WebhookEndpointWithSecret = Static<typeof WebhookEndpointWithSecret>

export const WebhookDelivery = Type.Object({
  id: Id,
  eventId: Type.String(),
  eventType: Type.String(),
  conversationId: Type.Union([Id, Type.Null()]),
  status: WebhookDeliveryStatus,
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([IsoDateTime, Type.Null()]),
  lastAttemptAt: Type.Union([IsoDateTime, Type.Null()]),
  /** The receiver's HTTP status; null when no answer came (refused address, timeout, connection error). */
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastLatencyMs: Type.Union([Type.Integer(), Type.Null()]),
  /** Why the attempt failed when no status says it. */
  lastError: Type.Union([Type.String(), Type.Null()]),
  /** The first 2 KB of the answer, as text: show it as text, never as HTML. */
  lastResponseExcerpt: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoDateTime,
})
export type WebhookDelivery = Static<typeof WebhookDelivery>

const EndpointInput = {
  url: Type.String({ minLength: 1, maxLength: 2000 }),
  description: Type.String({ maxLength: 200 }),
  eventTypes: Type.Array(WebhookEventType, { uniqueItems: true, maxItems: webhookEventTypes.length }),
  teamId: Type.Union([Id, Type.Null()]),
  allowPrivateNetwork: Type.Boolean(),
}

const IdParams = Type.Object({ id: Id })
const Ok = Type.Object({ ok: Type.Literal(true) })

export const webhooksApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/webhooks',
    summary: 'Webhook endpoints (admins)',
    tags: ['webhooks'],
    access: { role: 'admin' },
    schema: { response: { 200: Type.Object({ items: Type.Array(WebhookEndpoint) }) } },
  }),
  create: defineRoute({
    method: 'POST',
    url: '/api/webhooks',
    summary: 'Add a webhook endpoint; its signing secret is answered this once (admins)',
    tags: ['webhooks'],
    access: { role: 'admin' },
    schema: {
      body: Type.Object(
        {
          url: EndpointInput.url,
          description: Type.Optional(EndpointInput.description),
          eventTypes: EndpointInput.eventTypes,
          teamId: EndpointInput.teamId,
          allowPrivateNetwork: Type.Optional(EndpointInput.allowPrivateNetwork),
        },
        { additionalProperties: false },
      ),
      response: { 200: WebhookEndpointWithSecret },
    },
  }),
  update: defineRoute({
    method: 'PATCH',
    url: '/api/webhooks/:id',
    summary: 'Change a webhook endpoint, or enable or disable it (admins)',
    tags: ['webhooks'],
    access: { role: 'admin' },
    schema: {
      params: IdParams,
      body: Type.Partial(Type.Object({ ...EndpointInput, enabled: Type.Boolean() }), { additionalProperties: false, minProperties: 1 }),
      response: { 200: WebhookEndpoint },
    },
  }),
  remove: defineRoute({
    method: 'DELETE',
    url: '/api/webhooks/:id',
    summary: 'Delete a webhook endpoint and its delivery log (admins)',
    tags: ['webhooks'],
    access: { role: 'admin' },
    schema: { params: IdParams, response: { 200: Ok } },
  }),
  rotateSecret: defineRoute({
    method: 'POST',
    url: '/api/webhooks/:id/rotate-secret',
    summary: 'A new signing secret, answered this once; the old one keeps signing for 24 hours (admins)',
    tags: ['webhooks'],
    access: { role: 'admin' },
    schema: { params: IdParams, response: { 200: WebhookEndpointWithSecret } },
  }),
  deliveries: defineRoute({
    method: 'GET',
    url: '/api/webhooks/:id/deliveries',
    summary: "An endpoint's delivery log, newest first (admins)",
    tags: ['webhooks'],
    access: { role: 'admin' },
    schema: {
      params: IdParams,
      querystring: Type.Object(
        {
          status: Type.Optional(WebhookDeliveryStatus),
          /** The `nextCursor` of the previous page. */
          cursor: Type.Optional(Id),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ items: Type.Array(WebhookDelivery), nextCursor: Type.Union([Id, Type.Null()]) }) },
    },
  }),
  replay: defineRoute({
    method: 'POST',
    url: '/api/webhooks/:id/deliveries/:deliveryId/replay',
    summary: 'Send one delivery again, with the same webhook-id (admins)',
    tags: ['webhooks'],
    access: { role: 'admin' },
    schema: { params: Type.Object({ id: Id, deliveryId: Id }), response: { 200: WebhookDelivery } },
  }),
  replayFailed: defineRoute({
    method: 'POST',
    url: '/api/webhooks/:id/replay-failed',
    summary: 'Send again every failed delivery created since a time (admins)',
    tags: ['webhooks'],
    access: { role: 'admin' },
    schema: {
      params: IdParams,
      body: Type.Object({ since: IsoDateTime }, { additionalProperties: false }),
      response: { 200: Type.Object({ replayed: Type.Integer() }) },
    },
  }),
  sendTest: defineRoute({
    method: 'POST',
    url: '/api/webhooks/:id/test',
    summary: 'Send a webhook.test event to the endpoint (admins)',
    tags: ['webhooks'],
    access: { role: 'admin' },
    schema: { params: IdParams, response: { 200: WebhookDelivery } },
  }),
}
