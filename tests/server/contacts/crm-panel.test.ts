import type { ContactCrm, CustomerPanel, UpsertResult } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, firstTeamId, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { bearer, createToken, crmSnapshot, customerOn, metaChannel } from './crm-fixtures.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn
let agentA: SignedIn
let teamA: string
let wa: string
let ig: string
let fbOfB: string
let crm: string

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  teamA = await firstTeamId(ctx)
  const teamB = await createTeam(ctx, 'Team B')
  wa = (await createChannel(ctx, { ...metaChannel, kind: 'whatsapp', name: 'WA', externalId: '111', teamId: teamA })).id
  ig = (await createChannel(ctx, { ...metaChannel, kind: 'instagram', name: 'IG', externalId: '222', teamId: teamA })).id
  fbOfB = (await createChannel(ctx, { ...metaChannel, kind: 'facebook', name: 'FB of B', externalId: '333', teamId: teamB })).id
  admin = await signedInAs(ctx, app, 'admin')
  agentA = await signedInAs(ctx, app, 'agent', [teamA])
  crm = (await createToken(app, admin, ['contacts:write'])).secret
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

function crmOf(contactId: string, who: SignedIn = agentA) {
  return app.inject({ method: 'GET', url: `/api/contacts/${contactId}/crm`, headers: who.headers })
}

function editKeys(contactId: string, payload: Record<string, unknown>, who: SignedIn = agentA) {
  return app.inject({ method: 'PATCH', url: `/api/contacts/${contactId}/keys`, headers: who.headers, payload })
}

describe('GET /api/contacts/:id/crm', () => {
  it('shows what the CRM pushed, with the link back to its record', async () => {
    const customer = await customerOn(ctx, wa, 'Ana')
    await ctx.db.updateTable('contacts').set({ email: 'ana@example.com' }).where('id', '=', customer.contactId).execute()
    await app.inject({
      method: 'POST',
      url: '/api/v1/contacts/upsert',
      headers: bearer(crm),
      payload: {
        email: 'ana@example.com',
        system: 'hubspot',
        external_id: '77',
        url: 'https://crm.example.com/c/77',
        tier: 'Gold',
        lifetime_value: 99.9,
        currency: 'GBP',
      },
    })

    const response = await crmOf(customer.contactId)

    expect(response.statusCode).toBe(200)
    expect(response.json<ContactCrm>()).toMatchObject({
      contactId: customer.contactId,
      email: 'ana@example.com',
      phone: null,
      tier: 'Gold',
      lifetimeValue: 99.9,
      currency: 'GBP',
      company: null,
      externalIds: [{ system: 'hubspot', externalId: '77', url: 'https://crm.example.com/c/77' }],
      suggestions: [],
    })
  })

  it("answers not found for another team's customer", async () => {
    const ofB = await customerOn(ctx, fbOfB, 'Bea of B')

    expect((await crmOf(ofB.contactId)).statusCode).toBe(404)
    expect((await crmOf(ofB.contactId, admin)).statusCode).toBe(200)
  })
})

describe('PATCH /api/contacts/:id/keys', () => {
  it('stores an email lower-cased and a phone in E.164, and records contact.updated', async () => {
    const customer = await customerOn(ctx, ig, 'Caro')

    const response = await editKeys(customer.contactId, { email: '  Caro@Example.COM ', phone: '+44 20 7946 0958' })

    expect(response.statusCode).toBe(200)
    expect(response.json<ContactCrm>()).toMatchObject({ email: 'caro@example.com', phone: '+442079460958' })
    const changes = await ctx.db.selectFrom('changes').select(['type', 'teamId', 'data', 'actor']).where('contactId', '=', customer.contactId).execute()
    expect(changes).toEqual([{ type: 'contact.updated', teamId: teamA, data: { changed: ['email', 'phone'] }, actor: { type: 'agent', id: agentA.userId } }])
  })

  it('clears a key given empty', async () => {
    const customer = await customerOn(ctx, ig, 'Dora')
    await editKeys(customer.contactId, { email: 'dora@example.com' })

    const response = await editKeys(customer.contactId, { email: '' })

    expect(response.json<ContactCrm>().email).toBeNull()
  })

  it.each([
    [{ phone: '020 7946 0958' }, '"020 7946 0958" is not a valid phone number. Write it with its country code, e.g. +44 20 7946 0958.'],
    [{ email: 'not an email' }, '"not an email" is not a valid email address.'],
  ])('refuses %j with a clear 400 and changes nothing', async (payload, message) => {
    const customer = await customerOn(ctx, ig, `Eli ${JSON.stringify(payload)}`)
    const before = await crmSnapshot(ctx)

    const response = await editKeys(customer.contactId, payload)

    expect(response.statusCode).toBe(400)
    expect(response.json().error).toEqual({ code: 'validation_failed', message })
    expect(await crmSnapshot(ctx)).toEqual(before)
  })

  it("refuses another team's customer as not found", async () => {
    const ofB = await customerOn(ctx, fbOfB, 'Fin of B')

    expect((await editKeys(ofB.contactId, { email: 'fin@example.com' })).statusCode).toBe(404)
  })
})

describe('merge suggestions', () => {
  it('suggests the customer with the same email on another channel, and only customers the viewer may see', async () => {
    const onWhatsApp = await customerOn(ctx, wa, 'Gia')
    const onInstagram = await customerOn(ctx, ig, 'gia.ig')
    const ofB = await customerOn(ctx, fbOfB, 'Gia of B')
    await editKeys(onWhatsApp.contactId, { email: 'gia@example.com' })
    await editKeys(onInstagram.contactId, { email: 'GIA@example.com' })
    await editKeys(ofB.contactId, { email: 'gia@example.com' }, admin)

    const forAgent = (await crmOf(onWhatsApp.contactId)).json<ContactCrm>()
    const forAdmin = (await crmOf(onWhatsApp.contactId, admin)).json<ContactCrm>()

    expect(forAgent.suggestions).toEqual([
      { id: onInstagram.contactId, name: 'gia.ig', handle: null, channels: [{ kind: 'instagram', name: 'IG' }], sameEmail: true, samePhone: false },
    ])
    expect(forAdmin.suggestions.map((s) => s.id).sort()).toEqual([onInstagram.contactId, ofB.contactId].sort())
  })

  it('suggests the WhatsApp customer whose number another customer has as their phone', async () => {
    const onWhatsApp = await customerOn(ctx, wa, 'Hal', '447911123456')
    const onInstagram = await customerOn(ctx, ig, 'hal.ig')
    const edited = await editKeys(onInstagram.contactId, { phone: '+44 7911 123456' })
    expect(edited.statusCode).toBe(200)

    const fromInstagram = (await crmOf(onInstagram.contactId)).json<ContactCrm>()
    const fromWhatsApp = (await crmOf(onWhatsApp.contactId)).json<ContactCrm>()

    expect(fromInstagram.suggestions).toMatchObject([
      { id: onWhatsApp.contactId, channels: [{ kind: 'whatsapp', name: 'WA' }], samePhone: true, sameEmail: false },
    ])
    expect(fromWhatsApp.suggestions).toMatchObject([{ id: onInstagram.contactId, samePhone: true }])
  })

  it('stops suggesting once merged; the merge fills in keys the kept customer lacked, and undo takes them back', async () => {
    const kept = await customerOn(ctx, wa, 'Ida')
    const other = await customerOn(ctx, ig, 'ida.ig')
    await editKeys(kept.contactId, { email: 'ida@example.com' })
    await editKeys(other.contactId, { email: 'ida@example.com', phone: '+1 415 555 2671' })
    expect((await crmOf(kept.contactId)).json<ContactCrm>().suggestions.map((s) => s.id)).toEqual([other.contactId])

    const merged = await app.inject({
      method: 'POST',
      url: `/api/contacts/${kept.contactId}/merge`,
      headers: agentA.headers,
      payload: { otherContactId: other.contactId },
    })
    const afterMerge = (await crmOf(kept.contactId)).json<ContactCrm>()
    const undone = await app.inject({
      method: 'POST',
      url: `/api/contacts/${kept.contactId}/merges/${merged.json<CustomerPanel>().merges[0]!.id}/undo`,
      headers: agentA.headers,
    })
    const afterUndo = (await crmOf(kept.contactId)).json<ContactCrm>()

    expect(merged.statusCode).toBe(200)
    expect(afterMerge).toMatchObject({ email: 'ida@example.com', phone: '+14155552671', suggestions: [] })
    expect(undone.statusCode).toBe(200)
    expect(afterUndo).toMatchObject({ email: 'ida@example.com', phone: null })
    expect(afterUndo.suggestions.map((s) => s.id)).toEqual([other.contactId])
  })

  it("finds the merged-away customer's CRM record under the customer it was merged into", async () => {
    const kept = await customerOn(ctx, wa, 'Jo')
    const other = await customerOn(ctx, ig, 'jo.ig')
    await editKeys(other.contactId, { email: 'jo@example.com' })
    const pushed = await app.inject({
      method: 'POST',
      url: '/api/v1/contacts/upsert',
      headers: bearer(crm),
      payload: { email: 'jo@example.com', external_id: 'crm-jo' },
    })
    expect(pushed.json<UpsertResult>().id).toBe(other.contactId)
    await app.inject({ method: 'POST', url: `/api/contacts/${kept.contactId}/merge`, headers: agentA.headers, payload: { otherContactId: other.contactId } })

    const again = await app.inject({ method: 'POST', url: '/api/v1/contacts/upsert', headers: bearer(crm), payload: { external_id: 'crm-jo', tier: 'Gold' } })

    expect(again.json<UpsertResult>()).toMatchObject({ id: kept.contactId, result: 'updated', changed: ['tier'] })
    expect((await crmOf(kept.contactId)).json<ContactCrm>()).toMatchObject({ tier: 'Gold', externalIds: [{ system: 'crm', externalId: 'crm-jo', url: null }] })
  })
})
