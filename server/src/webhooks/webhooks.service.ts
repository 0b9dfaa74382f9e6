import { randomUUID } from 'node:crypto'
import { webhookTestEventType, type WebhookDelivery, type WebhookEndpoint, type WebhookEndpointWithSecret, type webhooksApi } from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { SafeFetchError } from '../media/safe-fetch.js'
import { generateWebhookSecret } from './signature.js'
import { wakeSender } from './wake-sender.js'
import { checkedEndpointAddresses } from './webhook-post.js'
import {
  deleteEndpoint,
  findEndpoint,
  findEndpointDelivery,
  insertDeliveries,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  listFailedSince,
  resetDeliveries,
  toWebhookDelivery,
  toWebhookEndpoint,
  updateEndpoint,
} from './webhooks.repository.js'

type Actor = AuditRecord['actor']
type CreateInput = Static<(typeof webhooksApi.create.schema)['body']>
type UpdateInput = Static<(typeof webhooksApi.update.schema)['body']>

/** After a rotation, the old secret keeps signing this long, so receivers can switch without losing events. */
export const secretOverlapMs = 24 * 3600_000

/**
 * The address guard at the door: a URL that is malformed or resolves to a refused address is not saved. One that
 * does not resolve yet is (an on-premise name may come later); every attempt checks again.
 */
async function assertDeliverableUrl(url: string, allowPrivateNetwork: boolean): Promise<void> {
  try {
    await checkedEndpointAddresses(url, allowPrivateNetwork)
  } catch (error) {
    if (!(error instanceof SafeFetchError)) throw error
    if (error.reason === 'bad_url') throw new AppError('validation_failed', error.message)
    if (error.reason === 'blocked_address') {
      throw new AppError(
        'validation_failed',
        `${error.message}. Webhooks go only to public addresses, unless an admin allows a private network address for an on-premise receiver.`,
      )
    }
  }
}

async function assertTeam(db: Database, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return
  const team = await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()
  if (!team) throw new AppError('validation_failed', 'No such team.')
}

async function endpointOrThrow(db: Database, id: string) {
  const row = await findEndpoint(db, id)
  if (!row) throw new AppError('not_found', 'No such webhook endpoint.')
  return row
}

export async function listWebhookEndpoints(ctx: AppContext): Promise<WebhookEndpoint[]> {
  return (await listEndpoints(ctx.db)).map(toWebhookEndpoint)
}

export async function createWebhookEndpoint(ctx: AppContext, actor: Actor, input: CreateInput): Promise<WebhookEndpointWithSecret> {
  const allowPrivateNetwork = input.allowPrivateNetwork ?? false
  await assertDeliverableUrl(input.url, allowPrivateNetwork)
  await assertTeam(ctx.db, input.teamId)
  const secret = generateWebhookSecret()
  const row = await ctx.db.transaction().execute(async (trx) => {
    const row = await insertEndpoint(trx, {
      url: input.url,
      description: input.description ?? '',
      eventTypes: input.eventTypes,
      teamId: input.teamId,
      allowPrivateNetwork,
      secretCiphertext: ctx.secrets.seal(secret),
      createdBy: actor.userId,
    })
    await recordAudit(trx, {
      action: 'webhook.created',
      actor,
      target: { type: 'webhook_endpoint', id: row.id },
      details: { url: row.url, allowPrivateNetwork },
    })
    return row
  })
  return { endpoint: toWebhookEndpoint(row), secret }
}

export async function updateWebhookEndpoint(ctx: AppContext, actor: Actor, id: string, input: UpdateInput): Promise<WebhookEndpoint> {
  const current = await endpointOrThrow(ctx.db, id)
  const url = input.url ?? current.url
  const allowPrivateNetwork = input.allowPrivateNetwork ?? current.allowPrivateNetwork
  if (input.url !== undefined || input.allowPrivateNetwork !== undefined) await assertDeliverableUrl(url, allowPrivateNetwork)
  await assertTeam(ctx.db, input.teamId)
  const enabling = input.enabled === true && !current.enabled
  const row = await ctx.db.transaction().execute(async (trx) => {
    const row = await updateEndpoint(trx, id, {
      ...input,
      // Enabled again: a fresh start, the reason it was disabled no longer applies.
      ...(enabling && { disabledReason: null, disabledAt: null, failingSince: null }),
      ...(input.enabled === false && current.enabled && { disabledReason: 'Disabled by an admin.', disabledAt: ctx.clock.now() }),
    })
    await recordAudit(trx, { action: 'webhook.updated', actor, target: { type: 'webhook_endpoint', id }, details: { ...input } })
    return row
  })
  if (!row) throw new AppError('not_found', 'No such webhook endpoint.')
  return toWebhookEndpoint(row)
}

export async function deleteWebhookEndpoint(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await deleteEndpoint(trx, id))) throw new AppError('not_found', 'No such webhook endpoint.')
    await recordAudit(trx, { action: 'webhook.deleted', actor, target: { type: 'webhook_endpoint', id } })
  })
}

/** A new secret, answered once; the current one becomes the previous and keeps signing for a day. */
export async function rotateWebhookSecret(ctx: AppContext, actor: Actor, id: string): Promise<WebhookEndpointWithSecret> {
  const secret = generateWebhookSecret()
  const row = await ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('webhookEndpoints').select('secretCiphertext').where('id', '=', id).forUpdate().executeTakeFirst()
    if (!current) throw new AppError('not_found', 'No such webhook endpoint.')
    const row = await updateEndpoint(trx, id, {
      secretCiphertext: ctx.secrets.seal(secret),
      previousSecretCiphertext: current.secretCiphertext,
      previousSecretUntil: new Date(ctx.clock.now().getTime() + secretOverlapMs),
    })
    await recordAudit(trx, { action: 'webhook.secret_rotated', actor, target: { type: 'webhook_endpoint', id } })
    return row!
  })
  return { endpoint: toWebhookEndpoint(row), secret }
}

export async function listWebhookDeliveries(
  ctx: AppContext,
  id: string,
  query: Static<(typeof webhooksApi.deliveries.schema)['querystring']>,
): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }> {
  await endpointOrThrow(ctx.db, id)
  const { rows, nextCursor } = await listDeliveries(ctx.db, id, { status: query.status, cursor: query.cursor, limit: query.limit ?? 50 })
  return { items: rows.map(toWebhookDelivery), nextCursor }
}

/** Sends a delivery again from its first attempt: same webhook-id, same bytes, a fresh timestamp and signature. */
export async function replayWebhookDelivery(ctx: AppContext, actor: Actor, id: string, deliveryId: string): Promise<WebhookDelivery> {
  const endpoint = await endpointOrThrow(ctx.db, id)
  if (!endpoint.enabled) throw new AppError('conflict', 'Enable the endpoint before replaying its deliveries.')
  const delivery = await findEndpointDelivery(ctx.db, id, deliveryId)
  if (!delivery) throw new AppError('not_found', 'No such delivery.')
  if (delivery.status === 'pending') throw new AppError('conflict', 'This delivery is still being attempted.')
  await ctx.db.transaction().execute(async (trx) => {
    await resetDeliveries(trx, [deliveryId], ctx.clock.now())
    await wakeSender(trx, id)
    await recordAudit(trx, { action: 'webhook.replayed', actor, target: { type: 'webhook_endpoint', id }, details: { deliveryId } })
  })
  return toWebhookDelivery((await findEndpointDelivery(ctx.db, id, deliveryId))!)
}

/** Replays every failed delivery of the endpoint created since `since`, in the order of their events. */
export async function replayFailedWebhookDeliveries(ctx: AppContext, actor: Actor, id: string, since: string): Promise<number> {
  const endpoint = await endpointOrThrow(ctx.db, id)
  if (!endpoint.enabled) throw new AppError('conflict', 'Enable the endpoint before replaying its deliveries.')
  return ctx.db.transaction().execute(async (trx) => {
    const reset = await resetDeliveries(trx, await listFailedSince(trx, id, new Date(since)), ctx.clock.now())
    await wakeSender(trx, id)
    await recordAudit(trx, {
      action: 'webhook.replayed',
      actor,
      target: { type: 'webhook_endpoint', id },
      details: { failedSince: since, count: reset.length },
    })
    return reset.length
  })
}

/** A `webhook.test` event for this endpoint alone, delivered like any other (signed, logged, retried). */
export async function sendWebhookTestEvent(ctx: AppContext, id: string): Promise<WebhookDelivery> {
  const endpoint = await endpointOrThrow(ctx.db, id)
  if (!endpoint.enabled) throw new AppError('conflict', 'Enable the endpoint before sending a test event.')
  const now = ctx.clock.now()
  const eventId = `evt_test_${randomUUID().replaceAll('-', '')}`
  const payload = JSON.stringify({
    id: eventId,
    type: webhookTestEventType,
    occurred_at: now.toISOString(),
    team_id: endpoint.teamId,
    data: { endpoint: { id: endpoint.id } },
  })
  const deliveryId = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await insertDeliveries(trx, [
      { endpointId: id, eventId, eventType: webhookTestEventType, changeSeq: null, conversationId: null, payload, nextAttemptAt: now },
    ])
    await wakeSender(trx, id)
    return inserted[0]!.id
  })
  return toWebhookDelivery((await findEndpointDelivery(ctx.db, id, deliveryId))!)
}
