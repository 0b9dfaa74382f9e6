import { defineHandler } from '../queue/tasks.js'
import { deliverWebhookTask } from './deliver.task.js'
import { wakeSender } from './wake-sender.js'

/**
 * A job from before endpoints had senders, still queued after an upgrade: its delivery is pending with its time, so
 * the endpoint's sender makes the attempt (once, in order); this only makes sure that sender runs.
 */
export const deliverWebhookHandler = defineHandler(deliverWebhookTask, async (ctx, { deliveryId }) => {
  const delivery = await ctx.db
    .selectFrom('webhookDeliveries')
    .select('endpointId')
    .where('id', '=', deliveryId)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  if (delivery) await ctx.db.transaction().execute((trx) => wakeSender(trx, delivery.endpointId))
})
