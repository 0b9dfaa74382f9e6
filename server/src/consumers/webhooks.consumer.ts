import type { ChangeConsumer } from '../changes/consumer.js'
import { isWebhookEventType, webhookBody, webhookEventId } from '../webhooks/webhook-event.js'
import { wakeSenders } from '../webhooks/wake-sender.js'
import { insertDeliveries, listEnabledEndpoints, lockPendingHeads, promoteNextInConversations, type NewDelivery } from '../webhooks/webhooks.repository.js'

/**
 * Turns changes into signed webhook deliveries: one row per (endpoint that wants the change, event), written in the
 * cursor's transaction with a wake-up for each endpoint's sender, so a change is delivered exactly when it commits
 * here, and a change read twice adds nothing (the row is unique per endpoint and event).
 */
export const webhooksConsumer: ChangeConsumer = {
  name: 'webhooks',
  mode: 'transaction',
  gatherMs: 100,
  batchSize: 500,
  wants: (change) => isWebhookEventType(change.type),
  async handle(ctx, trx, changes) {
    const endpoints = await listEnabledEndpoints(trx)
    if (endpoints.length === 0) return
    const now = ctx.clock.now()
    const deliveries: NewDelivery[] = []
    for (const change of changes) {
      const wanting = endpoints.filter(
        // An endpoint hears of what happened after it was added, not of a backlog older than itself.
        (e) =>
          e.createdAt <= change.occurredAt &&
          (e.eventTypes.length === 0 || e.eventTypes.includes(change.type)) &&
          (e.teamId === null || e.teamId === change.teamId),
      )
      if (wanting.length === 0) continue
      const payload = webhookBody(change)
      for (const endpoint of wanting) {
        deliveries.push({
          endpointId: endpoint.id,
          eventId: webhookEventId(change.seq),
          eventType: change.type,
          changeSeq: change.seq,
          conversationId: change.conversationId,
          payload,
          nextAttemptAt: now,
        })
      }
    }
    // A delivery with one of its conversation still pending before it (from an earlier batch or this one) gets no
    // time: it follows that one, so the endpoint hears of a conversation's changes in their order.
    const lanes = new Map(deliveries.flatMap((d) => (d.conversationId ? [[`${d.endpointId}:${d.conversationId}`, d] as const] : [])))
    const pending = await lockPendingHeads(
      trx,
      [...lanes.values()].map((d) => ({ endpointId: d.endpointId, conversationId: d.conversationId! })),
    )
    for (const delivery of deliveries) {
      if (!delivery.conversationId) continue
      const lane = `${delivery.endpointId}:${delivery.conversationId}`
      if (pending.has(lane)) delivery.nextAttemptAt = null
      else pending.add(lane)
    }
    const inserted = await insertDeliveries(trx, deliveries)
    // Some changes were read before (a retried batch): a lane held above by a delivery that already existed (and may
    // have settled long ago) must not leave a new one without a time. The first pending of each lane gets one.
    if (inserted.length < deliveries.length) {
      const laneIds = new Map<string, string[]>()
      for (const { endpointId, conversationId } of lanes.values()) laneIds.set(endpointId, [...(laneIds.get(endpointId) ?? []), conversationId!])
      for (const [endpointId, conversationIds] of laneIds) await promoteNextInConversations(trx, endpointId, conversationIds, now)
    }
    await wakeSenders(
      trx,
      inserted.map((d) => d.endpointId),
    )
  },
}
