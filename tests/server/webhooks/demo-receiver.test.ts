import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { disableDemoChannels } from '../../../server/src/demo/demo.js'
import { connectDemoReceiver, demoReceiverDescription } from '../../../server/src/demo/demo-webhooks.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import {
  createWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  rotateWebhookSecret,
  sendWebhookTestEvent,
  updateWebhookEndpoint,
} from '../../../server/src/webhooks/webhooks.service.js'
import { createTestContext, type createTestClock } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'

// The demo's endpoint: made once, pointed at each start's simulator, and verified by its receiver with the secret
// Carebox keeps for it, across restarts and rotations.
let database: TestDatabase
let ctx: AppContext
const simulators: Simulator[] = []
const actor = { userId: null, tokenId: null, ip: null, userAgent: 'carebox demo' }

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  // The receiver checks webhook-timestamp against its own clock.
  ;(ctx.clock as ReturnType<typeof createTestClock>).set(new Date())
})
afterAll(async () => {
  await Promise.all(simulators.map((sim) => sim.close()))
  await database.drop()
})

async function startSim(): Promise<Simulator> {
  const sim = await startSimulator({ receipts: false })
  simulators.push(sim)
  return sim
}

/** Sends a test event to the endpoint and runs the delivery; answers its log entry. */
async function deliverTestEvent(endpointId: string) {
  const queued = await sendWebhookTestEvent(ctx, endpointId)
  await processQueue(ctx, database.pool)
  const { items } = await listWebhookDeliveries(ctx, endpointId, {})
  return items.find((d) => d.id === queued.id)!
}

describe('connectDemoReceiver', () => {
  it('adds one endpoint for every event, on loopback by the admin’s exception, whose deliveries the receiver verifies', async () => {
    const sim = await startSim()

    const url = await connectDemoReceiver(ctx, sim, actor)
    const delivery = await deliverTestEvent((await listWebhookEndpoints(ctx))[0]!.id)

    expect(url).toBe(`${sim.url}/demo-receiver`)
    expect(await listWebhookEndpoints(ctx)).toMatchObject([
      { url, description: demoReceiverDescription, eventTypes: [], teamId: null, allowPrivateNetwork: true, enabled: true },
    ])
    expect(delivery).toMatchObject({ status: 'succeeded', lastStatus: 200, lastResponseExcerpt: 'ok' })
    expect(sim.demoReceiver.received()[0]).toMatchObject({ id: delivery.eventId, type: 'webhook.test', isVerified: true })
  })

  it('moves the same endpoint to the next start’s simulator, keeping what an admin changed, and its receiver still verifies', async () => {
    const [endpoint] = await listWebhookEndpoints(ctx)
    await updateWebhookEndpoint(ctx, actor, endpoint!.id, { description: 'Watched by Ops', eventTypes: ['message.created'] })
    const restarted = await startSim()

    const url = await connectDemoReceiver(ctx, restarted, actor)
    const delivery = await deliverTestEvent(endpoint!.id)

    expect(await listWebhookEndpoints(ctx)).toMatchObject([{ id: endpoint!.id, url, description: 'Watched by Ops', eventTypes: ['message.created'] }])
    expect(delivery).toMatchObject({ status: 'succeeded', lastStatus: 200 })
    expect(restarted.demoReceiver.received()[0]).toMatchObject({ id: delivery.eventId, isVerified: true })
  })

  it('follows a rotation of the secret: the receiver checks with the new one from the next delivery', async () => {
    const [endpoint] = await listWebhookEndpoints(ctx)
    const sim = simulators.at(-1)!
    await rotateWebhookSecret(ctx, actor, endpoint!.id)
    // Past the 24 hours in which the old secret signs too: only the new one can verify now.
    await ctx.db
      .updateTable('webhookEndpoints')
      .set({ previousSecretUntil: new Date(ctx.clock.now().getTime() - 1000) })
      .where('id', '=', endpoint!.id)
      .execute()

    const delivery = await deliverTestEvent(endpoint!.id)

    expect(delivery).toMatchObject({ status: 'succeeded', lastStatus: 200 })
    expect(sim.demoReceiver.received()[0]).toMatchObject({ id: delivery.eventId, isVerified: true })
  })

  it('is disabled by a start with the demo off, and enabled again by the next demo start', async () => {
    const [endpoint] = await listWebhookEndpoints(ctx)

    await disableDemoChannels(ctx)

    expect((await listWebhookEndpoints(ctx))[0]).toMatchObject({ id: endpoint!.id, enabled: false })

    const restarted = await startSim()
    await connectDemoReceiver(ctx, restarted, actor)
    const delivery = await deliverTestEvent(endpoint!.id)

    expect(await listWebhookEndpoints(ctx)).toMatchObject([{ id: endpoint!.id, enabled: true, disabledReason: null }])
    expect(delivery).toMatchObject({ status: 'succeeded', lastStatus: 200 })
  })

  it('leaves every other endpoint alone when the demo is off', async () => {
    const sim = simulators.at(-1)!
    const other = await createWebhookEndpoint(ctx, actor, {
      url: `${sim.url}/elsewhere`,
      eventTypes: [],
      teamId: null,
      allowPrivateNetwork: true,
    })

    await disableDemoChannels(ctx)

    const endpoints = await listWebhookEndpoints(ctx)
    expect(endpoints.find((e) => e.id === other.endpoint.id)?.enabled).toBe(true)
    expect(endpoints.filter((e) => e.url.endsWith('/demo-receiver')).map((e) => e.enabled)).toEqual([false])
  })
})
