import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { metaBytes, metaSignature, postMeta } from '../../support/webhooks.js'

// A webhook delivery is applied in the transaction that stores it (the fast path to the agent's screen). When that
// transaction fails, the delivery must still be kept, for the ingest job: these tests make it fail with a trigger
// on `messages` that refuses one text while a row of `injected_faults` names it.

const appSecret = 'meta-app-secret'
const pageId = '104455667788991'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance

function messengerText(mid: string, text: string, psid: string) {
  const timestamp = 1767225599871
  return {
    object: 'page',
    entry: [{ id: pageId, time: timestamp, messaging: [{ sender: { id: psid }, recipient: { id: pageId }, timestamp, message: { mid, text } }] }],
  }
}

function deliver(target: FastifyInstance, mid: string, text: string, psid = '6123456789012346') {
  const raw = metaBytes(messengerText(mid, text, psid))
  return postMeta(target, raw, metaSignature(raw, appSecret))
}

async function state() {
  const { rows } = await sql<{ envelopes: string[]; messages: string[]; ingestJobs: number }>`
    select array(select status from inbound_events order by seq) as envelopes,
           array(select text from messages order by text) as messages,
           (select count(*)::int from graphile_worker.jobs where task_identifier = 'ingest.process') as "ingestJobs"`.execute(ctx.db)
  return rows[0]
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  await createChannel(ctx, {
    kind: 'facebook',
    name: 'Acme Page',
    externalId: pageId,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9/graph' },
    secrets: { appSecret, accessToken: 'page-token' },
  })
  await sql`
    create table injected_faults (text text primary key);
    create function refuse_injected() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from injected_faults f where f.text = new.text) then raise exception 'injected fault'; end if;
      return new;
    end $$;
    create trigger refuse_injected before insert on messages for each row execute function refuse_injected();`.execute(ctx.db)
})
beforeEach(async () => {
  await sql`truncate inbound_events, messages, conversations, contact_identities, contacts, injected_faults cascade`.execute(ctx.db)
  await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('webhook deliveries applied as they are stored', () => {
  it('has the message, its conversation and its change committed when the platform gets its 200, with no job left', async () => {
    const response = await deliver(app, 'm_fast', 'Is my order on its way?')

    expect(response.statusCode).toBe(200)
    expect(await state()).toEqual({ envelopes: ['processed'], messages: ['Is my order on its way?'], ingestJobs: 0 })
    const changes = await ctx.db.selectFrom('changes').select('type').where('type', 'in', ['message.created', 'conversation.created']).execute()
    expect(changes.map((c) => c.type).sort()).toEqual(['conversation.created', 'message.created'])
  })

  it('stores and applies a delivery sent twice once', async () => {
    await deliver(app, 'm_twice', 'Hello again')
    const again = await deliver(app, 'm_twice', 'Hello again')

    expect(again.statusCode).toBe(200)
    expect(await state()).toEqual({ envelopes: ['processed'], messages: ['Hello again'], ingestJobs: 0 })
  })

  it('keeps a delivery whose apply fails for the ingest job, which applies it once the fault is gone', async () => {
    await sql`insert into injected_faults values ('Refund please')`.execute(ctx.db)

    const response = await deliver(app, 'm_fault', 'Refund please')

    expect(response.statusCode).toBe(200)
    expect(await state()).toEqual({ envelopes: ['pending'], messages: [], ingestJobs: 1 })
    await sql`delete from injected_faults`.execute(ctx.db)
    await processQueue(ctx, database.pool)
    expect(await state()).toEqual({ envelopes: ['processed'], messages: ['Refund please'], ingestJobs: 0 })
  })

  it('loses none of the deliveries written together with one whose apply fails', async () => {
    await sql`insert into injected_faults values ('Broken one')`.execute(ctx.db)

    const answers = await Promise.all([
      deliver(app, 'm_a', 'Broken one', '6100000000000001'),
      deliver(app, 'm_b', 'Fine one', '6100000000000002'),
      deliver(app, 'm_c', 'Another fine one', '6100000000000003'),
    ])
    await sql`delete from injected_faults`.execute(ctx.db)
    await processQueue(ctx, database.pool)

    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200])
    expect(await state()).toEqual({
      envelopes: ['processed', 'processed', 'processed'],
      messages: ['Another fine one', 'Broken one', 'Fine one'],
      ingestJobs: 0,
    })
  })

  it('queues a delivery behind its channel’s deliveries still waiting for the worker, and applies at once again after them', async () => {
    await sql`insert into injected_faults values ('First, failing')`.execute(ctx.db)
    await deliver(app, 'm_first', 'First, failing', '6100000000000004')
    await sql`delete from injected_faults`.execute(ctx.db)

    const later = await deliver(app, 'm_later', 'Later, fine', '6100000000000004')

    expect(later.statusCode).toBe(200)
    expect(await state()).toEqual({ envelopes: ['pending', 'pending'], messages: [], ingestJobs: 2 })
    await processQueue(ctx, database.pool)
    expect(await state()).toEqual({ envelopes: ['processed', 'processed'], messages: ['First, failing', 'Later, fine'], ingestJobs: 0 })
    expect(
      (await deliver(app, 'm_after', 'After the backlog', '6100000000000004')).statusCode,
      'with nothing waiting, deliveries are applied at once again',
    ).toBe(200)
    expect(await state()).toMatchObject({ envelopes: ['processed', 'processed', 'processed'], ingestJobs: 0 })
  })

  it('with CAREBOX_INGEST_APPLY=queue, stores the delivery for the worker and applies it there', async () => {
    const queued = createTestContext(database, { ingestApply: 'queue' })
    const queuedApp = await buildTestApp(queued)
    try {
      const response = await deliver(queuedApp, 'm_queued', 'Queued hello')

      expect(response.statusCode).toBe(200)
      expect(await state()).toEqual({ envelopes: ['pending'], messages: [], ingestJobs: 1 })
      await processQueue(queued, database.pool)
      expect(await state()).toEqual({ envelopes: ['processed'], messages: ['Queued hello'], ingestJobs: 0 })
    } finally {
      await queuedApp.close()
    }
  })
})
