import { randomUUID } from 'node:crypto'
import type { Survey, SurveySettings } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { type createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { connectWhatsApp } from '../../support/whatsapp-account.js'

// Satisfaction surveys against the simulator: offered after a resolve on the customer's own channel, answered by a
// typed rating without reopening anything, a low rating told to the leads, and not offered where the platform
// no longer allows a message.
const phoneNumberId = '130000000000944'
const businessAccountId = '120000000000944'
const appSecret = 'surveys-app-secret'
const minute = 60_000

let database: TestDatabase
let ctx: AppContext
let clock: ReturnType<typeof createTestClock>
let app: FastifyInstance
let sim: Simulator
let agent: SignedIn
let lead: SignedIn
let channelId: string
let teamId: string
let customers = 0

/** A customer writes (now, unless said), an agent answers: a new conversation, its id and the customer's number. */
async function answeredConversation(text: string, at = clock.now()): Promise<{ id: string; from: string }> {
  customers += 1
  const from = `55119944000${String(customers).padStart(2, '0')}`
  await sim.customerWrites(phoneNumberId, { from: { id: from, name: `Cliente ${customers}` }, text, at })
  await processQueue(ctx, database.pool)
  const { id } = await ctx.db.selectFrom('conversations').select('id').orderBy('createdAt', 'desc').limit(1).executeTakeFirstOrThrow()
  const reply = await app.inject({
    method: 'POST',
    url: `/api/conversations/${id}/replies`,
    headers: agent.headers,
    payload: { text: 'Sorted: your refund is on its way.', clientKey: randomUUID() },
  })
  expect(reply.statusCode, reply.body).toBe(200)
  await processQueue(ctx, database.pool)
  return { id, from }
}

async function resolve(id: string): Promise<void> {
  const response = await app.inject({ method: 'POST', url: `/api/conversations/${id}/status`, headers: agent.headers, payload: { status: 'resolved' } })
  expect(response.statusCode, response.body).toBe(200)
  await processQueue(ctx, database.pool)
}

/** The survey's time comes (the team's delay after the resolve): its job runs. */
async function surveyTimeComes(): Promise<void> {
  clock.advance(6 * minute)
  agent = await signedInAs(ctx, app, 'agent', [teamId])
  lead = await signedInAs(ctx, app, 'lead', [teamId])
  await processQueue(ctx, database.pool, { runScheduled: true })
}

async function surveys(id: string, who = lead): Promise<Survey[]> {
  const response = await app.inject({ method: 'GET', url: `/api/conversations/${id}/surveys`, headers: who.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().items
}

async function status(id: string): Promise<string> {
  return (await ctx.db.selectFrom('conversations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
}

async function customerWrites(from: string, text: string): Promise<void> {
  await sim.customerWrites(phoneNumberId, { from: { id: from, name: 'Cliente' }, text, at: clock.now() })
  await processQueue(ctx, database.pool)
}

beforeAll(async () => {
  database = await createTestDatabase()
  // A public address: the survey page's links are built from it (without one, public threads get no survey).
  ctx = createTestContext(database, { publicUrl: 'https://care.example.com' })
  clock = ctx.clock as typeof clock
  // The queue runs a job when the database's clock says so: the test's clock starts at the real time.
  clock.set(new Date())
  app = await buildTestApp(ctx)
  const appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receipts: false })
  channelId = await connectWhatsApp(ctx, sim, appUrl, { name: 'Surveys WhatsApp', phoneNumberId, businessAccountId, appSecret })
  teamId = (await ctx.db.selectFrom('channels').select('teamId').where('id', '=', channelId).executeTakeFirstOrThrow()).teamId
  agent = await signedInAs(ctx, app, 'agent', [teamId])
  lead = await signedInAs(ctx, app, 'lead', [teamId])
})
afterAll(async () => {
  await app.close()
  await sim.close()
  await database.drop()
})

describe('satisfaction surveys', () => {
  it('asks after the resolve, in the customer’s language, and a typed rating closes the loop without reopening', async () => {
    const { id, from } = await answeredConversation('Hola, ¿dónde está mi reembolso del pedido 4411?')
    await resolve(id)
    expect(await surveys(id)).toMatchObject([{ status: 'scheduled', rating: null }])

    await surveyTimeComes()
    const [offered] = await surveys(id)
    expect(offered).toMatchObject({ status: 'offered', offeredAt: expect.any(String) })
    const question = sim.sends.at(-1)?.body as { type?: string; text?: { body: string }; interactive?: { body: { text: string } } }
    const asked = question.interactive?.body.text ?? question.text?.body
    expect(asked).toBe('¿Qué tal lo hicimos? Elige un número del 1 (mal) al 5 (genial), o respóndenos con uno.')

    await customerWrites(from, '5/5')
    expect(await status(id)).toBe('resolved')
    expect(await surveys(id)).toMatchObject([{ status: 'answered', rating: 5 }])
    const rating = await ctx.db
      .selectFrom('messages')
      .select(['text', 'closesLoop'])
      .where('conversationId', '=', id)
      .where('direction', '=', 'inbound')
      .orderBy('sentAt', 'desc')
      .executeTakeFirstOrThrow()
    expect(rating).toEqual({ text: '5/5', closesLoop: 'rating' })
    // No SLA clock starts for it.
    const running = await sql<{ n: number }>`select count(*)::int as n from sla_targets where conversation_id = ${id} and status = 'running'`.execute(ctx.db)
    expect(running.rows[0]!.n).toBe(0)
    // Asked why, once, in Spanish; the next message is the rating's comment and reopens nothing either.
    const why = sim.sends.at(-1)?.body as { text?: { body: string } }
    expect(why.text?.body).toBe('¡Gracias! ¿Cuál es el motivo principal de tu valoración?')
    await customerWrites(from, 'Rápidos y amables')
    expect(await status(id)).toBe('resolved')
    expect(await surveys(id)).toMatchObject([{ status: 'answered', rating: 5, comment: 'Rápidos y amables' }])

    // Anything else afterwards is a new case: it reopens, as before.
    await customerWrites(from, 'Otra cosa: ¿puedo cambiar la dirección de entrega?')
    expect(await status(id)).toBe('open')
  })

  it('tells the team’s leads of a 1 or 2 and lists the conversation under Low ratings', async () => {
    const { id, from } = await answeredConversation('My parcel never arrived')
    await resolve(id)
    await surveyTimeComes()
    await customerWrites(from, '1')
    expect(await status(id)).toBe('resolved')
    const notified = await sql<{ userId: string }>`
      select data->>'userId' as "userId" from changes
      where type = 'notification.created' and conversation_id = ${id} and data->'notification'->>'kind' = 'low_rating'`.execute(ctx.db)
    const leadId = (await ctx.db.selectFrom('users').select('id').where('email', '=', lead.email).executeTakeFirstOrThrow()).id
    expect(notified.rows.map((r) => r.userId)).toContain(leadId)
    const listed = await app.inject({ method: 'GET', url: '/api/conversations?view=low_ratings', headers: lead.headers })
    expect(listed.json().items.map((c: { id: string }) => c.id)).toContain(id)
    const counts = await app.inject({ method: 'GET', url: '/api/conversations/counts', headers: lead.headers })
    expect(counts.json().views.low_ratings.total).toBeGreaterThanOrEqual(1)
  })

  it('records "not offered" and why when the 24-hour window has closed by the survey’s time', async () => {
    const { id } = await answeredConversation('Is the shop open on Sunday?', new Date(clock.now().getTime() - 24 * 3_600_000 + 2 * minute))
    await resolve(id)
    await surveyTimeComes()
    const [survey] = await surveys(id)
    expect(survey).toMatchObject({ status: 'not_offered', reason: 'WhatsApp no longer allows a message to this customer: the 24-hour window has closed.' })
    const note = await ctx.db
      .selectFrom('messages')
      .select('text')
      .where('conversationId', '=', id)
      .where('kind', '=', 'event')
      .orderBy('sentAt', 'desc')
      .executeTakeFirstOrThrow()
    expect(note.text).toBe('No satisfaction survey: WhatsApp no longer allows a message to this customer: the 24-hour window has closed.')
  })

  it('asks nothing when the conversation is reopened before the survey is due, and nothing on a channel left out', async () => {
    const reopened = await answeredConversation('Where is my invoice?')
    await resolve(reopened.id)
    await customerWrites(reopened.from, 'Sorry, one more question: can I pay by card?')
    expect(await status(reopened.id)).toBe('open')
    await surveyTimeComes()
    expect(await surveys(reopened.id)).toMatchObject([{ status: 'not_offered', reason: 'The conversation was reopened before the survey was due.' }])

    const settings = (await app.inject({ method: 'GET', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers })).json().settings as SurveySettings
    const saved = await app.inject({
      method: 'PUT',
      url: `/api/teams/${teamId}/survey-settings`,
      headers: lead.headers,
      payload: { ...settings, disabledChannelIds: [channelId] },
    })
    expect(saved.statusCode, saved.body).toBe(200)
    const left = await answeredConversation('Thanks for the help earlier, one more: do you ship to Chile?')
    await resolve(left.id)
    await surveyTimeComes()
    expect(await surveys(left.id)).toMatchObject([{ status: 'not_offered', reason: 'Satisfaction surveys are turned off for Surveys WhatsApp.' }])
    await app.inject({ method: 'PUT', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers, payload: settings })
  })

  it('keeps a team’s settings to its leads, and ratings from agents when the team says so', async () => {
    const refused = await app.inject({ method: 'PUT', url: `/api/teams/${teamId}/survey-settings`, headers: agent.headers, payload: {} })
    expect(refused.statusCode).toBe(403)
    const settings = (await app.inject({ method: 'GET', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers })).json().settings as SurveySettings
    const tooLong = await app.inject({
      method: 'PUT',
      url: `/api/teams/${teamId}/survey-settings`,
      headers: lead.headers,
      payload: {
        ...settings,
        texts: { en: { question: 'How did we do?', button: 'Rate us right now please', options: ['1', '2', '3', '4', '5'], why: 'Why?' } },
      },
    })
    expect(tooLong.statusCode).toBe(400)

    const { id, from } = await answeredConversation('Can I change my order?')
    await resolve(id)
    await surveyTimeComes()
    await customerWrites(from, '4')
    await app.inject({ method: 'PUT', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers, payload: { ...settings, agentsSeeRatings: false } })
    expect(await surveys(id, agent)).toMatchObject([{ status: 'answered', rating: null }])
    expect(await surveys(id, lead)).toMatchObject([{ status: 'answered', rating: 4 }])
    await app.inject({ method: 'PUT', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers, payload: settings })
  })
})

describe('tapped answers', () => {
  const tokenOf = async (conversationId: string) =>
    (await ctx.db.selectFrom('surveys').select('token').where('conversationId', '=', conversationId).orderBy('createdAt', 'desc').executeTakeFirstOrThrow())
      .token
  const lastEvent = async (conversationId: string) =>
    (
      await ctx.db
        .selectFrom('messages')
        .select('text')
        .where('conversationId', '=', conversationId)
        .where('kind', '=', 'event')
        .orderBy('createdAt', 'desc')
        .executeTakeFirstOrThrow()
    ).text

  it('takes a tapped answer once, and counts neither a second tap nor one naming another conversation’s survey', async () => {
    const first = await answeredConversation('My voucher code does not work')
    await resolve(first.id)
    await surveyTimeComes()
    // The question went as WhatsApp's list of five answers.
    const list = sim.sends.at(-1)?.body as { interactive?: { action: { sections: { rows: { id: string; title: string }[] }[] } } }
    const token = await tokenOf(first.id)
    expect(list.interactive?.action.sections[0]?.rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5].map((n) => `csat:${token}:${n}`))

    await sim.customerChooses(phoneNumberId, { from: { id: first.from, name: 'Cliente' }, optionId: `csat:${token}:2` })
    await processQueue(ctx, database.pool)
    expect(await status(first.id)).toBe('resolved')
    expect(await surveys(first.id)).toMatchObject([{ status: 'answered', rating: 2 }])

    await sim.customerChooses(phoneNumberId, { from: { id: first.from, name: 'Cliente' }, optionId: `csat:${token}:5` })
    await processQueue(ctx, database.pool)
    expect(await status(first.id)).toBe('resolved')
    expect(await surveys(first.id)).toMatchObject([{ rating: 2 }])
    expect(await lastEvent(first.id)).toBe('The survey was answered already: the first answer counts.')

    // A tampered tap: another customer's payload names the first conversation's survey.
    const second = await answeredConversation('Where do I send the return?')
    await resolve(second.id)
    await surveyTimeComes()
    const tampered = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: businessAccountId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550000944', phone_number_id: phoneNumberId },
                contacts: [{ profile: { name: 'Cliente' }, wa_id: second.from }],
                messages: [
                  {
                    from: second.from,
                    id: `wamid.tampered${Date.now()}`,
                    timestamp: String(Math.floor(clock.now().getTime() / 1000)),
                    type: 'interactive',
                    interactive: { type: 'list_reply', list_reply: { id: `csat:${token}:5`, title: '5 · Great' } },
                  },
                ],
              },
            },
          ],
        },
      ],
    }
    expect((await sim.deliverRaw(phoneNumberId, tampered)).delivered).toBe(true)
    await processQueue(ctx, database.pool)
    expect(await status(second.id)).toBe('resolved')
    expect(await surveys(second.id)).toMatchObject([{ status: 'offered', rating: null }])
    expect(await surveys(first.id)).toMatchObject([{ rating: 2 }])
    expect(await lastEvent(second.id)).toBe('This rating answers no survey of this conversation: not counted.')
  })
})

describe('the satisfaction report', () => {
  it('counts the score, the response rate and the reasons for not offering, by agent and channel, with the comments', async () => {
    // A period ends now: a minute on, the last survey (offered at the test clock's last step) is inside it.
    clock.advance(minute)
    lead = await signedInAs(ctx, app, 'lead', [teamId])
    const response = await app.inject({ method: 'GET', url: `/api/reports/satisfaction?period=7d&teamId=${teamId}`, headers: lead.headers })
    expect(response.statusCode, response.body).toBe(200)
    const report = response.json()
    // Answered above: 5, 1, 4 and 2; the tampered tap's survey was offered and not answered.
    expect(report.totals).toMatchObject({ offered: 5, answered: 4, satisfied: 2, score: 50, responseRate: 0.8, distribution: [1, 1, 0, 1, 1] })
    expect(report.notOffered.map((r: { reason: string }) => r.reason)).toEqual(
      expect.arrayContaining([
        'WhatsApp no longer allows a message to this customer: the 24-hour window has closed.',
        'The conversation was reopened before the survey was due.',
      ]),
    )
    expect(report.byChannel).toMatchObject([{ id: channelId, name: 'Surveys WhatsApp', figures: { answered: 4 } }])
    expect(report.byAgent.reduce((n: number, g: { figures: { answered: number } }) => n + g.figures.answered, 0)).toBe(4)
    expect(report.comments.map((c: { rating: number; comment: string | null }) => [c.rating, c.comment])).toEqual(
      expect.arrayContaining([
        [5, 'Rápidos y amables'],
        [1, null],
      ]),
    )
    const agentRefused = await app.inject({ method: 'GET', url: '/api/reports/satisfaction', headers: agent.headers })
    expect(agentRefused.statusCode).toBe(403)
  })
})

describe('a thanks after the resolve', () => {
  it('stays in the thread without reopening or an automatic reply; a question still reopens', async () => {
    const { id, from } = await answeredConversation('Has my refund been sent?')
    await resolve(id)
    await customerWrites(from, 'Got it, thank you so much!')
    expect(await status(id)).toBe('resolved')
    const thanks = await ctx.db
      .selectFrom('messages')
      .select('closesLoop')
      .where('conversationId', '=', id)
      .where('text', '=', 'Got it, thank you so much!')
      .executeTakeFirstOrThrow()
    expect(thanks.closesLoop).toBe('thanks')
    const automated = await ctx.db.selectFrom('messages').select('id').where('conversationId', '=', id).where('automated', '=', true).execute()
    expect(automated).toEqual([])

    await customerWrites(from, 'Thanks! But when will it arrive?')
    expect(await status(id)).toBe('open')
  })
})

describe('the survey page of a public thread', () => {
  const pageId = '104455667700944'
  let conversationId: string
  let posts = 4410

  /** A comment on the Page's post, answered and resolved: the thread the survey link goes to. */
  async function resolvedComment(text: string): Promise<string> {
    await sim.customerWrites(pageId, {
      from: { id: `5599${Date.now() % 100000}`, name: 'Commenter' },
      text,
      kind: 'comment',
      postId: `${pageId}_${(posts += 1)}`,
      at: clock.now(),
    })
    await processQueue(ctx, database.pool)
    const { id } = await ctx.db.selectFrom('conversations').select('id').where('kind', '=', 'public').orderBy('createdAt', 'desc').executeTakeFirstOrThrow()
    await app.inject({
      method: 'POST',
      url: `/api/conversations/${id}/replies`,
      headers: agent.headers,
      payload: { text: 'Sorry about that, it is fixed now.', clientKey: randomUUID() },
    })
    await processQueue(ctx, database.pool)
    await resolve(id)
    return id
  }

  beforeAll(async () => {
    const appUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
    const channel = await createChannel(ctx, {
      kind: 'facebook',
      name: 'Acme Page',
      externalId: pageId,
      settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('facebook') },
      secrets: { appSecret, accessToken: 'page-token' },
    })
    await ctx.db.updateTable('channels').set({ teamId }).where('id', '=', channel.id).execute()
    sim.addAccount({ kind: 'facebook', externalId: pageId, secrets: { appSecret, accessToken: 'page-token' }, webhookUrl: `${appUrl}/webhooks/meta` })
  })

  it('sends no survey to a public thread by default', async () => {
    conversationId = await resolvedComment('The app crashed at checkout')
    await surveyTimeComes()
    expect(await surveys(conversationId)).toMatchObject([
      { status: 'not_offered', reason: 'Public threads get no survey unless the team sends a link to the survey page.' },
    ])
  })

  it('replies with a link to a page where the customer rates once, without signing in', async () => {
    const settings = (await app.inject({ method: 'GET', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers })).json().settings as SurveySettings
    await app.inject({ method: 'PUT', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers, payload: { ...settings, publicLink: true } })
    conversationId = await resolvedComment('Checkout is broken again')
    await surveyTimeComes()
    expect(await surveys(conversationId)).toMatchObject([{ status: 'offered' }])
    const reply = sim.sends.at(-1)?.body as { message?: string }
    const link = /\/survey\/([A-Za-z0-9_-]+)/.exec(reply.message ?? '')
    expect(reply.message).toContain('How did we do? Rate us in two taps (private, no sign-in):')
    const token = link![1]!

    const page = await app.inject({ method: 'GET', url: `/survey/${token}` })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-security-policy']).toContain("default-src 'none'")
    expect(page.body).toContain('name="rating" value="5"')

    const form = (body: string) =>
      app.inject({ method: 'POST', url: `/survey/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body })
    expect((await form('rating=7')).statusCode).toBe(400)
    const answered = await form('rating=2&comment=Still+broken+on+Android')
    expect(answered.statusCode).toBe(200)
    expect(answered.body).toContain('Thank you for your rating!')
    expect(await surveys(conversationId)).toMatchObject([{ status: 'answered', rating: 2, comment: 'Still broken on Android' }])
    expect(await status(conversationId)).toBe('resolved')

    // One use: the link answers no second rating, and a forged one is not a survey at all.
    const again = await form('rating=5')
    expect(again.statusCode).toBe(409)
    expect(await surveys(conversationId)).toMatchObject([{ rating: 2 }])
    const forged = await app.inject({
      method: 'POST',
      url: `/survey/${token.slice(0, -2)}xx`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'rating=5',
    })
    expect(forged.statusCode).toBe(404)
    expect(forged.body).toContain('This survey link is not valid.')
    await app.inject({ method: 'PUT', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers, payload: settings })
  })

  it('refuses the page a week after the offer', async () => {
    const settings = (await app.inject({ method: 'GET', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers })).json().settings as SurveySettings
    await app.inject({ method: 'PUT', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers, payload: { ...settings, publicLink: true } })
    conversationId = await resolvedComment('Where is my order?')
    await surveyTimeComes()
    const { linkToken } = await ctx.db.selectFrom('surveys').select('linkToken').where('conversationId', '=', conversationId).executeTakeFirstOrThrow()
    clock.advance(8 * 24 * 3_600_000)
    const late = await app.inject({
      method: 'POST',
      url: `/survey/${linkToken}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'rating=5',
    })
    expect(late.statusCode).toBe(410)
    lead = await signedInAs(ctx, app, 'lead', [teamId])
    expect(await surveys(conversationId)).toMatchObject([{ status: 'offered', rating: null }])
    await app.inject({ method: 'PUT', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers, payload: settings })
  })
})

describe('a rating in a language Carebox does not read', () => {
  it('is kept as text, not counted, and reopens as any message does', async () => {
    // The clock moved a week on above: past the sessions' idle limit.
    agent = await signedInAs(ctx, app, 'agent', [teamId])
    lead = await signedInAs(ctx, app, 'lead', [teamId])
    const { id, from } = await answeredConversation('Mon colis est arrivé abîmé')
    await resolve(id)
    await surveyTimeComes()
    await customerWrites(from, 'merveilleux')
    expect(await surveys(id)).toMatchObject([{ status: 'offered', rating: null }])
    const kept = await ctx.db
      .selectFrom('messages')
      .select('closesLoop')
      .where('conversationId', '=', id)
      .where('text', '=', 'merveilleux')
      .executeTakeFirstOrThrow()
    expect(kept.closesLoop).toBeNull()
    expect(await status(id)).toBe('open')
  })
})

describe('ratings kept to leads', () => {
  it('keeps the Low ratings view, its count and the figure in the thread from agents when the team says so', async () => {
    agent = await signedInAs(ctx, app, 'agent', [teamId])
    lead = await signedInAs(ctx, app, 'lead', [teamId])
    const refused = await app.inject({ method: 'GET', url: '/api/conversations?view=low_ratings', headers: agent.headers })
    expect(refused.statusCode).toBe(403)
    const counts = (await app.inject({ method: 'GET', url: '/api/conversations/counts', headers: agent.headers })).json()
    expect(counts.views.low_ratings).toBeUndefined()

    const settings = (await app.inject({ method: 'GET', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers })).json().settings as SurveySettings
    await app.inject({ method: 'PUT', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers, payload: { ...settings, agentsSeeRatings: false } })
    const { id, from } = await answeredConversation('The zip on my bag broke')
    await resolve(id)
    await surveyTimeComes()
    await customerWrites(from, '2')
    const note = await ctx.db
      .selectFrom('messages')
      .select('text')
      .where('conversationId', '=', id)
      .where('kind', '=', 'event')
      .orderBy('createdAt', 'desc')
      .executeTakeFirstOrThrow()
    expect(note.text).toBe('The customer answered the satisfaction survey (ratings are shown to team leads).')
    expect(await surveys(id, lead)).toMatchObject([{ rating: 2 }])
    await app.inject({ method: 'PUT', url: `/api/teams/${teamId}/survey-settings`, headers: lead.headers, payload: settings })
  })
})
