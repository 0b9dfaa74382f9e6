import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, signIn, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { newConversation } from '../../support/routing.js'
import { startSmtpRecorder, type SmtpRecorder } from './smtp-recorder.js'

// Invitations, password resets and @mentions by email, through a real SMTP server on loopback that records them.
const publicUrl = 'https://care.example.com'
const refusedAddress = 'gone@example.test'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let smtp: SmtpRecorder
let teamA: string
let admin: SignedIn

beforeAll(async () => {
  smtp = await startSmtpRecorder({ refuse: [refusedAddress] })
  database = await createTestDatabase()
  ctx = createTestContext(database, { publicUrl, smtpUrl: smtp.url, mailFrom: 'Carebox <care@example.com>' })
  app = await buildTestApp(ctx)
  teamA = await createTeam(ctx, 'Returns desk')
  const adminUser = await createUser(ctx, { role: 'admin', name: 'Ada Admin', teamIds: [] })
  admin = await signIn(app, adminUser.email, adminUser.password)
})

afterAll(async () => {
  await app.close()
  await database.drop()
  await smtp.close()
})

beforeEach(() => {
  smtp.received.length = 0
})

async function pendingMailJobs(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'mail.send'`.execute(ctx.db)
  return rows[0]?.n ?? 0
}

describe('POST /api/users/invites, with a mail server', () => {
  it('emails the invitation link to the person invited, and says so', async () => {
    const email = 'new.agent@example.test'

    const response = await app.inject({
      method: 'POST',
      url: '/api/users/invites',
      headers: admin.headers,
      payload: { email, role: 'agent', teamIds: [teamA] },
    })
    await processQueue(ctx, database.pool)

    expect(response.statusCode, response.body).toBe(200)
    const { link } = response.json<{ link: { url: string; emailedTo?: string } }>()
    expect(link.emailedTo).toBe(email)
    expect(link.url).toMatch(new RegExp(`^${publicUrl}/join/[A-Za-z0-9_-]{43}$`))
    expect(smtp.received).toHaveLength(1)
    const [sent] = smtp.received
    expect(sent?.envelopeTo).toEqual([email])
    expect(sent?.to).toBe(email)
    expect(sent?.from).toBe('Carebox <care@example.com>')
    expect(sent?.subject).toBe('You are invited to Carebox')
    expect(sent?.text).toContain('Ada Admin invited you to Carebox')
    expect(sent?.text).toContain('Your teams: Returns desk.')
    expect(sent?.text).toContain(`Choose your name and password: ${link.url}`)
    expect(sent?.html).toContain(`<a href="${link.url}"`)
    expect(smtp.logins).toContainEqual({ username: 'carebox', password: 'mail-secret' })
    const token = link.url.split('/join/')[1]
    const described = await app.inject({ method: 'GET', url: `/api/auth/links/${token}` })
    expect(described.json()).toMatchObject({ kind: 'invite', email, role: 'agent' })
  })

  it('sends nothing for an invitation withdrawn before its email went out', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/users/invites',
      headers: admin.headers,
      payload: { email: 'changed.mind@example.test', role: 'agent', teamIds: [teamA] },
    })
    const { invite } = response.json<{ invite: { id: string } }>()
    await app.inject({ method: 'DELETE', url: `/api/users/invites/${invite.id}`, headers: admin.headers })

    await processQueue(ctx, database.pool)

    expect(smtp.received).toEqual([])
    expect(await pendingMailJobs()).toBe(0)
  })

  it('gives up at once on an address the mail server refuses for good, and the invitation stays', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/users/invites',
      headers: admin.headers,
      payload: { email: refusedAddress, role: 'agent', teamIds: [teamA] },
    })

    await processQueue(ctx, database.pool)

    expect(response.json<{ link: { emailedTo?: string } }>().link.emailedTo).toBe(refusedAddress)
    expect(smtp.received).toEqual([])
    expect(await pendingMailJobs()).toBe(0)
    const list = await app.inject({ method: 'GET', url: '/api/users', headers: admin.headers })
    expect(list.json<{ invites: { email: string }[] }>().invites.map((invite) => invite.email)).toContain(refusedAddress)
  })
})

describe('POST /api/users/:id/password-reset, with a mail server', () => {
  it('emails only the newest link when two resets were made before the first email went out', async () => {
    const user = await createUser(ctx, { role: 'agent', teamIds: [teamA], email: 'forgetful@example.test' })
    const reset = () => app.inject({ method: 'POST', url: `/api/users/${user.id}/password-reset`, headers: admin.headers })

    const first = await reset()
    const second = await reset()
    await processQueue(ctx, database.pool)

    const newest = second.json<{ link: { url: string; emailedTo?: string } }>().link
    expect(first.json<{ link: { emailedTo?: string } }>().link.emailedTo).toBe(user.email)
    expect(newest.emailedTo).toBe(user.email)
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0]?.envelopeTo).toEqual([user.email])
    expect(smtp.received[0]?.subject).toBe('Choose a new Carebox password')
    expect(smtp.received[0]?.text).toContain(`Choose a new password: ${newest.url}`)
    expect(smtp.received[0]?.html).toContain(`<a href="${newest.url}"`)
  })
})

describe('POST /api/conversations/:id/notes with mentions, with a mail server', () => {
  it('emails the mention to a teammate who is not online, escaped, with a link to the conversation', async () => {
    const channel = await createChannel(ctx, {
      kind: 'telegram',
      name: 'Support bot',
      externalId: randomUUID(),
      teamId: teamA,
      settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
      secrets: { botToken: '777:AA', webhookSecret: 'w' },
    })
    const conversationId = await newConversation(ctx, channel.id, 'dm', '<img src=x onerror=alert(1)> Priya')
    const authorUser = await createUser(ctx, { role: 'agent', teamIds: [teamA], name: 'Maya Agent' })
    const away = await createUser(ctx, { role: 'agent', teamIds: [teamA], name: 'Omar Offline', email: 'omar@example.test' })
    const online = await createUser(ctx, { role: 'agent', teamIds: [teamA], name: 'Olive Online', email: 'olive@example.test' })
    await ctx.db.updateTable('users').set({ presence: 'online' }).where('id', '=', online.id).execute()
    const author = await signIn(app, authorUser.email, authorUser.password)
    const text = 'Can you check <b>this</b> refund? @Omar @Olive'

    const response = await app.inject({
      method: 'POST',
      url: `/api/conversations/${conversationId}/notes`,
      headers: author.headers,
      payload: { text, clientKey: randomUUID(), mentions: [away.id, online.id] },
    })
    await processQueue(ctx, database.pool)

    expect(response.statusCode, response.body).toBe(200)
    expect(smtp.received.map((sent) => sent.envelopeTo)).toEqual([[away.email]])
    const [sent] = smtp.received
    const conversationUrl = `${publicUrl}/inbox/${conversationId}`
    expect(sent?.subject).toBe('Maya Agent mentioned you: conversation with <img src=x onerror=alert(1)> Priya')
    expect(sent?.text).toContain(`> ${text}`)
    expect(sent?.text).toContain(`Open the conversation: ${conversationUrl}`)
    expect(sent?.html).toContain(`<a href="${conversationUrl}"`)
    expect(sent?.html).toContain('Can you check &lt;b&gt;this&lt;/b&gt; refund?')
    expect(sent?.html).toContain('&lt;img src=x onerror=alert(1)&gt; Priya')
    expect(sent?.html).not.toContain('<img')
    expect(sent?.html).not.toContain('<b>')
  })
})
