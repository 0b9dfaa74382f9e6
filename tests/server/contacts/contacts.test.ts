import type { CustomerPanel } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, firstTeamId, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { teamOfChannel } from '../../support/routing.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let agent: SignedIn
let outsider: SignedIn
let teamA: string

/** A customer with one identity and one conversation (one message) on a channel. */
async function customerOn(channelId: string, name: string, text: string): Promise<{ contactId: string; conversationId: string }> {
  const now = new Date()
  const contact = await ctx.db.insertInto('contacts').values({ name, firstSeenAt: now, lastSeenAt: now }).returning('id').executeTakeFirstOrThrow()
  await ctx.db
    .insertInto('contactIdentities')
    .values({ contactId: contact.id, channelId, externalId: `${name}-${channelId}`, name })
    .execute()
  const conversation = await ctx.db
    .insertInto('conversations')
    .values({
      channelId,
      teamId: teamOfChannel(channelId),
      threadKey: `dm:${name}`,
      kind: 'dm',
      contactId: contact.id,
      lastMessageAt: now,
      lastInboundAt: now,
      lastMessagePreview: text,
      messageCount: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.db
    .insertInto('messages')
    .values({
      conversationId: conversation.id,
      channelId,
      externalId: `m-${name}-${channelId}`,
      direction: 'inbound',
      authorKind: 'contact',
      authorContactId: contact.id,
      text,
      status: 'received',
      sentAt: now,
    })
    .execute()
  return { contactId: contact.id, conversationId: conversation.id }
}

async function snapshot() {
  return {
    identities: await ctx.db.selectFrom('contactIdentities').select(['id', 'contactId']).orderBy('id').execute(),
    conversations: await ctx.db.selectFrom('conversations').select(['id', 'contactId']).orderBy('id').execute(),
    contacts: await ctx.db.selectFrom('contacts').select(['id', 'mergedInto', 'tags', 'attributes', 'firstSeenAt', 'lastSeenAt']).orderBy('id').execute(),
  }
}

let whatsapp: { contactId: string; conversationId: string }
let instagram: { contactId: string; conversationId: string }
let otherTeams: { contactId: string; conversationId: string }

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  teamA = await firstTeamId(ctx)
  const teamB = await createTeam(ctx, 'Team B')
  const meta = { settings: { mode: 'webhook' as const, apiBaseUrl: 'http://127.0.0.1:9' }, secrets: { appSecret: 's', accessToken: 't' } }
  const wa = await createChannel(ctx, { ...meta, kind: 'whatsapp', name: 'WA', externalId: '111', teamId: teamA })
  const ig = await createChannel(ctx, { ...meta, kind: 'instagram', name: 'IG', externalId: '222', teamId: teamA })
  const fb = await createChannel(ctx, { ...meta, kind: 'facebook', name: 'FB of B', externalId: '333', teamId: teamB })
  whatsapp = await customerOn(wa.id, 'Lucía Fernández', 'Dónde está mi pedido?')
  instagram = await customerOn(ig.id, 'lucia.fz', 'Hola, soy yo otra vez')
  otherTeams = await customerOn(fb.id, 'Someone of B', 'private to team B')
  agent = await signedInAs(ctx, app, 'agent', [teamA])
  outsider = await signedInAs(ctx, app, 'agent', [teamB])
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('merging customers by hand', () => {
  it('moves identities and conversations into one customer, and undo puts everything back as it was', async () => {
    await ctx.db
      .updateTable('contacts')
      .set({ tags: ['instagram-fan'], attributes: JSON.stringify({ Handle: 'lucia.fz' }) })
      .where('id', '=', instagram.contactId)
      .execute()
    const before = await snapshot()
    const found = await app.inject({ method: 'GET', url: '/api/contacts?q=lucia', headers: agent.headers })
    expect(found.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toContain(instagram.contactId)

    const merged = await app.inject({
      method: 'POST',
      url: `/api/contacts/${whatsapp.contactId}/merge`,
      headers: agent.headers,
      payload: { otherContactId: instagram.contactId },
    })

    expect(merged.statusCode).toBe(200)
    const panel = merged.json<CustomerPanel>()
    expect(panel.identities.map((i) => i.channel.name).sort()).toEqual(['IG', 'WA'])
    expect(panel.conversations.map((c) => c.id).sort()).toEqual([whatsapp.conversationId, instagram.conversationId].sort())
    expect(panel.merges).toHaveLength(1)
    expect(panel.tags).toEqual(['instagram-fan'])
    expect(panel.attributes).toEqual({ Handle: 'lucia.fz' })
    const detail = await app.inject({ method: 'GET', url: `/api/conversations/${instagram.conversationId}`, headers: agent.headers })
    expect(detail.json<{ customer: CustomerPanel }>().customer.id).toBe(whatsapp.contactId)

    const undone = await app.inject({
      method: 'POST',
      url: `/api/contacts/${whatsapp.contactId}/merges/${panel.merges[0]?.id}/undo`,
      headers: agent.headers,
    })

    expect(undone.statusCode).toBe(200)
    expect(undone.json<CustomerPanel>().identities.map((i) => i.channel.name)).toEqual(['WA'])
    expect(await snapshot()).toEqual(before)
    const actions = await ctx.db.selectFrom('auditLog').select('action').where('action', 'like', 'contact.%').orderBy('at').execute()
    expect(actions.map((a) => a.action)).toEqual(['contact.merged', 'contact.merge_undone'])
  })

  it("refuses to merge another team's customer (404), changing nothing", async () => {
    const before = await snapshot()

    const intoOther = await app.inject({
      method: 'POST',
      url: `/api/contacts/${whatsapp.contactId}/merge`,
      headers: agent.headers,
      payload: { otherContactId: otherTeams.contactId },
    })
    const fromOutside = await app.inject({
      method: 'POST',
      url: `/api/contacts/${whatsapp.contactId}/merge`,
      headers: outsider.headers,
      payload: { otherContactId: instagram.contactId },
    })
    const searchOutside = await app.inject({ method: 'GET', url: '/api/contacts?q=lucia', headers: outsider.headers })

    expect(intoOther.statusCode).toBe(404)
    expect(fromOutside.statusCode).toBe(404)
    expect(searchOutside.json<{ items: unknown[] }>().items).toEqual([])
    expect(await snapshot()).toEqual(before)
  })

  it('keeps notes, tags and attributes about the customer, shown in the panel', async () => {
    await app.inject({
      method: 'POST',
      url: `/api/contacts/${whatsapp.contactId}/notes`,
      headers: agent.headers,
      payload: { text: 'Prefers Spanish; <b>VIP</b> since 2024' },
    })
    const updated = await app.inject({
      method: 'PATCH',
      url: `/api/contacts/${whatsapp.contactId}`,
      headers: agent.headers,
      payload: { tags: ['VIP'], attributes: { Plan: 'Gold', 'Order number': '48213' } },
    })

    const panel = updated.json<CustomerPanel>()
    expect(panel.tags).toEqual(['vip'])
    expect(panel.attributes).toEqual({ Plan: 'Gold', 'Order number': '48213' })
    expect(panel.notes.map((n) => [n.text, n.author?.id])).toEqual([['Prefers Spanish; <b>VIP</b> since 2024', agent.userId]])
  })

  it('rejects attribute names outside the pattern and too many attributes', async () => {
    const badName = await app.inject({
      method: 'PATCH',
      url: `/api/contacts/${whatsapp.contactId}`,
      headers: agent.headers,
      payload: { attributes: { "x'; drop table contacts; --": '1' } },
    })
    const tooMany = await app.inject({
      method: 'PATCH',
      url: `/api/contacts/${whatsapp.contactId}`,
      headers: agent.headers,
      payload: { attributes: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`a${i}`, 'v'])) },
    })

    expect([badName.statusCode, tooMany.statusCode]).toEqual([400, 400])
  })
})

describe('other consoles', () => {
  it('hear of every conversation whose customer a merge or its undo changed', async () => {
    const published: { event: string; conversationId: string; contactId: string }[] = []
    const original = ctx.realtime
    ctx.realtime = {
      ...original,
      // A console is connected: the console consumer publishes only then.
      hasListeners: () => true,
      publish: (event, _room, payload) => {
        const conversation = (payload as { conversation?: { id: string; contact: { id: string } } }).conversation
        if (conversation) published.push({ event, conversationId: conversation.id, contactId: conversation.contact.id })
      },
    }
    try {
      const merged = await app.inject({
        method: 'POST',
        url: `/api/contacts/${whatsapp.contactId}/merge`,
        headers: agent.headers,
        payload: { otherContactId: instagram.contactId },
      })
      expect(published).toEqual(
        expect.arrayContaining([
          { event: 'conversation.updated', conversationId: instagram.conversationId, contactId: whatsapp.contactId },
          { event: 'conversation.updated', conversationId: whatsapp.conversationId, contactId: whatsapp.contactId },
        ]),
      )
      published.length = 0
      const mergeId = merged.json<CustomerPanel>().merges[0]?.id
      await app.inject({ method: 'POST', url: `/api/contacts/${whatsapp.contactId}/merges/${mergeId}/undo`, headers: agent.headers })
      expect(published).toContainEqual({ event: 'conversation.updated', conversationId: instagram.conversationId, contactId: instagram.contactId })
    } finally {
      ctx.realtime = original
    }
  })
})
