import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, signIn, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { startSmtpRecorder, type SmtpRecorder } from './smtp-recorder.js'

// The mail server is down when the invitation is made: the invitation stands, and its email follows once it is back.
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn
let teamId: string
let port: number
let smtp: SmtpRecorder | undefined

beforeAll(async () => {
  // A port a mail server just left: nothing answers there until the test starts one again.
  const probe = await startSmtpRecorder()
  port = probe.port
  await probe.close()
  database = await createTestDatabase()
  ctx = createTestContext(database, { publicUrl: 'https://care.example.com', smtpUrl: `smtp://127.0.0.1:${port}` })
  app = await buildTestApp(ctx)
  teamId = await createTeam(ctx, 'Night shift')
  const adminUser = await createUser(ctx, { role: 'admin', teamIds: [] })
  admin = await signIn(app, adminUser.email, adminUser.password)
})

afterAll(async () => {
  await app.close()
  await database.drop()
  await smtp?.close()
})

async function mailJobs() {
  const { rows } = await sql<{ attempts: number; lastError: string | null; isLater: boolean }>`
    select attempts, last_error as "lastError", run_at > now() as "isLater" from graphile_worker.jobs where task_identifier = 'mail.send'`.execute(ctx.db)
  return rows
}

describe('the mail.send job', () => {
  it('retries while the mail server is down, keeps the invitation, and delivers once the server is back', async () => {
    const email = 'patient@example.test'
    const response = await app.inject({
      method: 'POST',
      url: '/api/users/invites',
      headers: admin.headers,
      payload: { email, role: 'agent', teamIds: [teamId] },
    })
    const { link } = response.json<{ link: { url: string; emailedTo?: string } }>()

    await processQueue(ctx, database.pool)

    expect(response.statusCode, response.body).toBe(200)
    expect(link.emailedTo).toBe(email)
    const [failed] = await mailJobs()
    expect(failed).toMatchObject({ attempts: 1, isLater: true })
    expect(failed?.lastError).toMatch(/ECONNREFUSED|connect/i)
    const list = await app.inject({ method: 'GET', url: '/api/users', headers: admin.headers })
    expect(list.json<{ invites: { email: string }[] }>().invites.map((invite) => invite.email)).toEqual([email])
    expect((await app.inject({ method: 'GET', url: `/api/auth/links/${link.url.split('/join/')[1]}` })).statusCode).toBe(200)

    smtp = await startSmtpRecorder({ port })
    await processQueue(ctx, database.pool, { runScheduled: true })

    expect(smtp.received.map((sent) => [sent.envelopeTo, sent.subject])).toEqual([[[email], 'You are invited to Carebox']])
    expect(smtp.received[0]?.text).toContain(link.url)
    expect(await mailJobs()).toEqual([])
  })
})
