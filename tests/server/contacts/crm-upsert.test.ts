import type { UpsertResult } from '@carebox/shared'
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
let agent: SignedIn
let teamA: string
let teamB: string
let waChannel: string
let fbOfB: string
/** contacts:write for every team. */
let crm: string

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  teamA = await firstTeamId(ctx)
  teamB = await createTeam(ctx, 'Team B')
  waChannel = (await createChannel(ctx, { ...metaChannel, kind: 'whatsapp', name: 'WA', externalId: '111', teamId: teamA })).id
  fbOfB = (await createChannel(ctx, { ...metaChannel, kind: 'facebook', name: 'FB of B', externalId: '333', teamId: teamB })).id
  admin = await signedInAs(ctx, app, 'admin')
  agent = await signedInAs(ctx, app, 'agent', [teamA])
  crm = (await createToken(app, admin, ['contacts:write'])).secret
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

function upsert(payload: Record<string, unknown>, secret = crm) {
  return app.inject({ method: 'POST', url: '/api/v1/contacts/upsert', headers: bearer(secret), payload })
}

async function changesOf(contactId: string) {
  return ctx.db.selectFrom('changes').select(['type', 'teamId', 'actor', 'data']).where('contactId', '=', contactId).orderBy('seq').execute()
}

describe('POST /api/v1/contacts/upsert', () => {
  it('creates a customer with normalised keys, CRM fields and a link back, and records contact.created', async () => {
    const response = await upsert({
      system: 'hubspot',
      external_id: 'hs-1001',
      url: 'https://crm.example.com/contacts/hs-1001',
      email: '  Ana.Silva@Example.COM ',
      phone: '+44 20 7946 0958',
      name: 'Ana Silva',
      company: 'Acme Ltd',
      tier: 'Gold',
      owner: 'Priya (Sales)',
      lifetime_value: 1234.5,
      currency: 'EUR',
    })

    expect(response.statusCode).toBe(200)
    const body = response.json<UpsertResult>()
    expect(body).toMatchObject({ result: 'created' })
    expect(body.changed.sort()).toEqual(['company', 'currency', 'email', 'external_ids', 'lifetime_value', 'name', 'owner', 'phone', 'tier'])
    const stored = await ctx.db
      .selectFrom('contacts')
      .select(['name', 'email', 'phone', 'crmCompany', 'crmTier', 'crmOwner', 'crmLifetimeValue', 'crmCurrency'])
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow()
    expect(stored).toEqual({
      name: 'Ana Silva',
      email: 'ana.silva@example.com',
      phone: '+442079460958',
      crmCompany: 'Acme Ltd',
      crmTier: 'Gold',
      crmOwner: 'Priya (Sales)',
      crmLifetimeValue: '1234.50',
      crmCurrency: 'EUR',
    })
    expect(await ctx.db.selectFrom('contactExternalIds').select(['system', 'externalId', 'url']).where('contactId', '=', body.id).execute()).toEqual([
      { system: 'hubspot', externalId: 'hs-1001', url: 'https://crm.example.com/contacts/hs-1001' },
    ])
    expect(await changesOf(body.id)).toMatchObject([{ type: 'contact.created', actor: { type: 'system', id: 'api' } }])
    // Every consumer of changes (webhooks, the event stream…) took it without failing.
    expect(await ctx.db.selectFrom('changeFailures').select(['consumer', 'error']).execute()).toEqual([])
  })

  it('updates the customer its external id names, recording contact.updated with what changed, and nothing for a repeat', async () => {
    const created = (await upsert({ external_id: 'crm-2', name: 'Bo', tier: 'Silver' })).json<UpsertResult>()

    const updated = await upsert({ external_id: 'crm-2', name: 'Bo', tier: 'Gold', attributes: { Plan: 'Annual' } })
    const repeated = await upsert({ external_id: 'crm-2', name: 'Bo', tier: 'Gold', attributes: { Plan: 'Annual' } })

    expect(updated.json()).toEqual({ id: created.id, result: 'updated', changed: ['tier', 'attributes'] })
    expect(repeated.json()).toEqual({ id: created.id, result: 'updated', changed: [] })
    expect(await changesOf(created.id)).toMatchObject([
      { type: 'contact.created' },
      { type: 'contact.updated', actor: { type: 'system', id: 'api' }, data: { changed: ['tier', 'attributes'] } },
    ])
    const row = await ctx.db.selectFrom('contacts').select(['crmTier', 'attributes']).where('id', '=', created.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ crmTier: 'Gold', attributes: { Plan: 'Annual' } })
  })

  it('finds a WhatsApp customer by the number they write from, read in the default region, and reports it under their team', async () => {
    const customer = await customerOn(ctx, waChannel, 'Chidi', '442079460999')

    const response = await upsert({ phone: '(020) 7946 0999', default_region: 'GB', external_id: 'crm-chidi', company: 'Okafor & Co' })

    expect(response.json<UpsertResult>()).toMatchObject({ id: customer.contactId, result: 'updated' })
    const row = await ctx.db.selectFrom('contacts').select(['phone', 'crmCompany']).where('id', '=', customer.contactId).executeTakeFirstOrThrow()
    expect(row).toEqual({ phone: '+442079460999', crmCompany: 'Okafor & Co' })
    expect(await changesOf(customer.contactId)).toMatchObject([{ type: 'contact.updated', teamId: teamA }])
  })

  it('matches by email when no external id is known yet, and remembers the external id', async () => {
    const customer = await customerOn(ctx, waChannel, 'Dana')
    await app.inject({ method: 'PATCH', url: `/api/contacts/${customer.contactId}/keys`, headers: agent.headers, payload: { email: 'dana@example.org' } })

    const first = await upsert({ email: 'DANA@example.org', external_id: 'crm-dana' })
    const second = await upsert({ external_id: 'crm-dana', tier: 'Bronze' })

    expect(first.json<UpsertResult>()).toMatchObject({ id: customer.contactId, result: 'updated', changed: ['external_ids'] })
    expect(second.json<UpsertResult>()).toMatchObject({ id: customer.contactId, result: 'updated', changed: ['tier'] })
  })

  it('matches a Gmail address however its dots, +tag and domain are written', async () => {
    const customer = await customerOn(ctx, waChannel, 'Gil')
    await app.inject({ method: 'PATCH', url: `/api/contacts/${customer.contactId}/keys`, headers: agent.headers, payload: { email: 'gil.sousa@gmail.com' } })

    const found = await upsert({ email: 'Gilsousa+shop@googlemail.com', company: 'Sousa Lda' })

    expect(found.json<UpsertResult>()).toMatchObject({ id: customer.contactId, result: 'updated' })
    // Another provider's dots are part of the address.
    const other = await upsert({ email: 'gil.sousa@example.org' })
    expect(other.json<UpsertResult>()).toMatchObject({ result: 'created' })
  })

  it('reports keys pointing at two customers as matched_conflict with both ids, changing and merging nothing', async () => {
    const byId = (await upsert({ external_id: 'crm-eve', name: 'Eve' })).json<UpsertResult>().id
    const byEmail = (await upsert({ external_id: 'crm-eve-2', email: 'eve@example.com' })).json<UpsertResult>().id
    const before = await crmSnapshot(ctx)

    const response = await upsert({ external_id: 'crm-eve', email: 'eve@example.com', tier: 'Gold' })
    const emailFirst = await upsert({ match_on: ['email', 'external_id'], external_id: 'crm-eve', email: 'eve@example.com' })

    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ id: byId, result: 'matched_conflict', conflicting_ids: [byId, byEmail], changed: [] })
    expect(emailFirst.json()).toMatchObject({ id: byEmail, result: 'matched_conflict', conflicting_ids: [byEmail, byId] })
    expect(await crmSnapshot(ctx)).toEqual(before)
  })

  it('stores a key left out of match_on without matching on it', async () => {
    const other = (await upsert({ external_id: 'crm-fay', email: 'shared@example.com' })).json<UpsertResult>().id

    const response = await upsert({ match_on: ['external_id'], external_id: 'crm-gus', email: 'shared@example.com' })

    expect(response.json<UpsertResult>()).toMatchObject({ result: 'created' })
    expect(response.json<UpsertResult>().id).not.toBe(other)
  })

  it.each([
    ['an invalid phone', { external_id: 'bad-1', phone: '12' }, '"12" is not a valid phone number. Write it with its country code'],
    ['a national phone without a region', { external_id: 'bad-2', phone: '(020) 7946 0958' }, 'is not a valid phone number'],
    ['an invalid email', { external_id: 'bad-3', email: 'ana@@example' }, '"ana@@example" is not a valid email address.'],
    ['a javascript: link', { external_id: 'bad-4', url: 'javascript:alert(1)' }, 'url must be an http or https address.'],
    ['a link without its external id', { email: 'x@example.com', url: 'https://crm.example.com/1' }, 'give its external_id too'],
    ['no key to match on', { name: 'Nobody' }, 'Nothing to match on'],
    ['a negative lifetime value', { external_id: 'bad-5', lifetime_value: -1 }, 'lifetime_value'],
    ['an unknown field', { external_id: 'bad-6', shoe_size: 44 }, 'additional properties'],
  ])('answers 400 with a clear message for %s, storing nothing', async (_case, payload, message) => {
    const before = await crmSnapshot(ctx)

    const response = await upsert(payload)

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('validation_failed')
    expect(response.json().error.message).toContain(message)
    expect(await crmSnapshot(ctx)).toEqual(before)
  })

  it('refuses a token without contacts:write, and an agent, with 403', async () => {
    const reader = (await createToken(app, admin, ['conversations:read'])).secret
    const before = await crmSnapshot(ctx)

    const byReader = await upsert({ external_id: 'crm-nope', name: 'Nope' }, reader)
    const byAgent = await app.inject({ method: 'POST', url: '/api/v1/contacts/upsert', headers: agent.headers, payload: { external_id: 'crm-nope' } })

    expect(byReader.statusCode).toBe(403)
    expect(byReader.json().error.message).toBe('This API token lacks the contacts:write scope.')
    expect(byAgent.statusCode).toBe(403)
    expect(await crmSnapshot(ctx)).toEqual(before)
  })
})

describe('POST /api/v1/contacts/upsert with a token limited to teams', () => {
  it("refuses a customer only another team's channel talks to, and changes nothing", async () => {
    const ofB = await customerOn(ctx, fbOfB, 'Hana of B')
    await ctx.db.updateTable('contacts').set({ email: 'hana@example.com' }).where('id', '=', ofB.contactId).execute()
    const tokenA = (await createToken(app, admin, ['contacts:write'], [teamA])).secret
    const before = await crmSnapshot(ctx)

    const byEmail = await upsert({ email: 'hana@example.com', tier: 'Gold' }, tokenA)
    const asConflict = await upsert({ external_id: 'crm-eve', email: 'hana@example.com' }, tokenA)

    expect(byEmail.statusCode).toBe(403)
    expect(byEmail.json().error).toEqual({
      code: 'forbidden',
      message: 'This customer talks only to teams this API token is not allowed to reach, so it may not change them.',
    })
    expect(asConflict.statusCode).toBe(403)
    expect(await crmSnapshot(ctx)).toEqual(before)
  })

  it("updates its own team's customers, and creates and updates customers no team has talked to yet", async () => {
    const ofA = await customerOn(ctx, waChannel, 'Ivo of A')
    await ctx.db.updateTable('contacts').set({ email: 'ivo@example.com' }).where('id', '=', ofA.contactId).execute()
    const tokenA = (await createToken(app, admin, ['contacts:write'], [teamA])).secret

    const own = await upsert({ email: 'ivo@example.com', tier: 'Gold' }, tokenA)
    const created = await upsert({ external_id: 'crm-new-to-a', name: 'New' }, tokenA)
    const again = await upsert({ external_id: 'crm-new-to-a', name: 'Newer' }, tokenA)

    expect(own.json<UpsertResult>()).toMatchObject({ id: ofA.contactId, result: 'updated' })
    expect(created.json<UpsertResult>()).toMatchObject({ result: 'created' })
    expect(again.json<UpsertResult>()).toMatchObject({ id: created.json<UpsertResult>().id, result: 'updated', changed: ['name'] })
    // A customer no team talks to yet is reported under the one team the token works for.
    expect(await changesOf(created.json<UpsertResult>().id)).toMatchObject([
      { type: 'contact.created', teamId: teamA },
      { type: 'contact.updated', teamId: teamA },
    ])
  })
})
