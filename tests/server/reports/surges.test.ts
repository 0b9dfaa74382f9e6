import { defaultSurgeSettings, type SurgeAlert } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { isNegative } from '../../../server/src/reports/negative-signal.js'
import { judgeSurge, surgeCheckHandler } from '../../../server/src/reports/surge-check.job.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, firstTeamId, signedInAs } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { recordingRealtime } from '../../support/realtime.js'
import { customerWrites, newConversation } from '../../support/routing.js'

describe('judging a surge', () => {
  const calm = Array.from({ length: 4 }, () => ({ inbound: 3, negative: 0 }))

  it('sees more than twice the usual volume, once there are enough messages', () => {
    expect(judgeSurge({ now: { inbound: 12, negative: 0 }, baseline: calm }, defaultSurgeSettings).reasons).toEqual(['volume'])
    expect(judgeSurge({ now: { inbound: 6, negative: 0 }, baseline: calm }, defaultSurgeSettings).reasons).toEqual([])
    // Busier than usual but under the minimum: a quiet channel going from 1 to 3 is no surge.
    expect(judgeSurge({ now: { inbound: 9, negative: 0 }, baseline: [{ inbound: 1, negative: 0 }] }, defaultSurgeSettings).reasons).toEqual([])
  })

  it('sees a jump in the share of complaints even at the usual volume', () => {
    const verdict = judgeSurge(
      { now: { inbound: 12, negative: 6 }, baseline: Array.from({ length: 4 }, () => ({ inbound: 12, negative: 1 })) },
      defaultSurgeSettings,
    )
    expect(verdict.reasons).toEqual(['negative'])
    expect(verdict.negativeShare).toBe(0.5)
    expect(verdict.baselineNegativeShare).toBeCloseTo(1 / 12)
  })

  it('reads complaints in several languages and ignores thanks', () => {
    expect(['The box arrived broken', 'Chci reklamaci', 'No funciona nada', '返金してください', 'worst service 😡'].every(isNegative)).toBe(true)
    expect(['Thanks, all good!', 'Díky, balík dorazil', 'Where is the nearest shop?'].some(isNegative)).toBe(false)
  })
})

describe('surge alerts', () => {
  let database: TestDatabase
  let ctx: AppContext
  let app: FastifyInstance
  let teamId: string
  let channelId: string
  const realtime = recordingRealtime()
  const clock = createTestClock(new Date('2026-02-02T10:00:00Z'))

  beforeAll(async () => {
    database = await createTestDatabase()
    ctx = { ...createTestContext(database), clock, realtime }
    app = await buildTestApp(ctx)
    teamId = await firstTeamId(ctx)
    channelId = (
      await createChannel(ctx, {
        kind: 'telegram',
        name: 'Shop bot',
        externalId: '555',
        settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
        secrets: { botToken: '555:AA', webhookSecret: 'w' },
      })
    ).id
  })
  afterAll(async () => {
    await app.close()
    await database.drop()
  })

  it('alerts the team once when complaints spike after a launch, listing the conversations behind it', async () => {
    // Four ordinary Mondays at 10:00 UTC: three calm messages each.
    for (let week = 0; week < 4; week++) {
      clock.set(new Date(Date.UTC(2026, 1, 2 + week * 7, 10, 5)))
      for (let i = 0; i < 3; i++) await customerWrites(ctx, await newConversation(ctx, channelId), 'Hi, a question about sizes')
    }
    // Those weeks' checks ran long ago.
    await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
    // Launch day, the fifth Monday: twelve customers write about broken parcels within the hour.
    const spike: string[] = []
    for (let i = 0; i < 12; i++) {
      clock.set(new Date(Date.UTC(2026, 2, 2, 10, 2 + i)))
      const id = await newConversation(ctx, channelId)
      await sql`update conversations set tags = '{launch}' where id = ${id}::uuid`.execute(ctx.db)
      await customerWrites(ctx, id, i % 2 === 0 ? 'My new kettle arrived broken' : 'Still waiting for my order, this is unacceptable')
      spike.push(id)
    }
    const scheduled = await sql<{ runAt: Date }>`select run_at as "runAt" from graphile_worker.jobs where key = ${`surge-check:${teamId}`}`.execute(ctx.db)
    // One check per team, a minute after the first message of the burst: later messages do not push it back.
    expect(scheduled.rows.map((r) => r.runAt.toISOString())).toEqual(['2026-03-02T10:03:00.000Z'])

    clock.set(new Date('2026-03-02T10:15:00Z'))
    await surgeCheckHandler.run(ctx, { teamId }, { attempts: 1, maxAttempts: 3 })

    const alerts = realtime.published.filter((p) => p.event === 'surge.detected').map((p) => p.payload as SurgeAlert)
    const byChannel = alerts.find((a) => a.scope === 'channel')
    expect(byChannel).toMatchObject({
      key: channelId,
      label: 'Shop bot',
      reasons: ['volume', 'negative'],
      inbound: 12,
      baseline: 3,
      negativeShare: 1,
      baselineNegativeShare: 0,
      windowStart: '2026-03-02T10:00:00.000Z',
    })
    expect([...(byChannel?.conversationIds ?? [])].sort()).toEqual([...spike].sort())
    // The live alert names them too, in the same order as the ids.
    expect(byChannel?.conversations?.map((c) => c.id)).toEqual(byChannel?.conversationIds)
    expect(byChannel?.conversations?.[0]).toMatchObject({ customerName: 'Sam', channelName: 'Shop bot', channelKind: 'telegram' })
    // The tag's own history is empty: every launch message is more than usual.
    expect(alerts.find((a) => a.scope === 'tag')).toMatchObject({ key: 'launch', label: 'launch', inbound: 12 })
    expect(realtime.published.find((p) => p.event === 'surge.detected')?.rooms).toContain(`team:${teamId}`)

    // The check running again in the same hour raises nothing new.
    realtime.published.length = 0
    await surgeCheckHandler.run(ctx, { teamId }, { attempts: 1, maxAttempts: 3 })
    expect(realtime.published.filter((p) => p.event === 'surge.detected')).toEqual([])

    const lead = await signedInAs(ctx, app, 'lead', [teamId])
    const listed = await app.inject({ method: 'GET', url: '/api/reports/surges', headers: lead.headers })
    expect(listed.statusCode, listed.body).toBe(200)
    expect(
      listed
        .json<{ items: SurgeAlert[] }>()
        .items.map((a) => a.scope)
        .sort(),
    ).toEqual(['channel', 'tag'])
  })

  it('names the conversations behind a surge by customer, channel and first words, newest first', async () => {
    const lead = await signedInAs(ctx, app, 'lead', [teamId])
    const before = (await app.inject({ method: 'GET', url: '/api/reports/surges', headers: lead.headers })).json<{ items: SurgeAlert[] }>()
    const ids = before.items.find((a) => a.scope === 'channel')?.conversationIds ?? []
    const [newest, second, third] = ids as [string, string, string]
    // A customer known only by handle; one with no name at all; a long message cut at a word.
    const contactOf = (id: string) => sql`(select contact_id from conversations where id = ${id}::uuid)`
    await sql`update contacts set name = null, handle = '@pat_k' where id = ${contactOf(newest)}`.execute(ctx.db)
    await sql`update contacts set name = '  ', handle = null where id = ${contactOf(second)}`.execute(ctx.db)
    const long = 'My new kettle arrived broken and the box was soaked through, the lid is cracked and the base will not even switch on'
    await sql`update conversations set last_message_preview = ${long} where id = ${third}::uuid`.execute(ctx.db)

    const listed = await app.inject({ method: 'GET', url: '/api/reports/surges', headers: lead.headers })

    expect(listed.statusCode, listed.body).toBe(200)
    const conversations = listed.json<{ items: SurgeAlert[] }>().items.find((a) => a.scope === 'channel')?.conversations ?? []
    expect(conversations.map((c) => c.id)).toEqual(ids)
    expect(conversations.slice(0, 3)).toEqual([
      { id: newest, customerName: '@pat_k', channelName: 'Shop bot', channelKind: 'telegram', preview: expect.any(String) as string },
      { id: second, customerName: null, channelName: 'Shop bot', channelKind: 'telegram', preview: expect.any(String) as string },
      {
        id: third,
        customerName: 'Sam',
        channelName: 'Shop bot',
        channelKind: 'telegram',
        preview: 'My new kettle arrived broken and the box was soaked through, the lid is cracked…',
      },
    ])
  })

  it('keeps an hour-by-hour record of a surge that goes on, and announces it again only with a new reason', async () => {
    const writeHour = async (hour: number, text: string) => {
      for (let i = 0; i < 12; i++) {
        clock.set(new Date(Date.UTC(2026, 2, 2, hour, 2 + i)))
        await customerWrites(ctx, await newConversation(ctx, channelId), text)
      }
      clock.set(new Date(Date.UTC(2026, 2, 2, hour, 20)))
      realtime.published.length = 0
      await surgeCheckHandler.run(ctx, { teamId }, { attempts: 1, maxAttempts: 3 })
      return realtime.published.filter((p) => p.event === 'surge.detected').map((p) => p.payload as SurgeAlert)
    }
    // 11:00, right after the launch hour: still complaints, still many. Recorded, not announced again.
    expect(await writeHour(11, 'Still waiting for my order, this is unacceptable')).toEqual([])
    // 12:00: as many messages, calm ones: the volume surge goes on.
    expect(await writeHour(12, 'Hi, a question about sizes')).toEqual([])
    // 13:00: complaints again, after a calm hour: announced.
    const announced = await writeHour(13, 'My new kettle arrived broken')
    expect(announced.map((a) => ({ scope: a.scope, reasons: a.reasons }))).toEqual([{ scope: 'channel', reasons: ['volume', 'negative'] }])

    const { rows } = await sql<{ hour: string; reasons: string[] }>`
      select to_char(window_start at time zone 'UTC', 'HH24') as hour, reasons from surge_alerts where scope = 'channel' order by window_start`.execute(ctx.db)
    expect(rows).toEqual([
      { hour: '10', reasons: ['volume', 'negative'] },
      { hour: '11', reasons: ['volume', 'negative'] },
      { hour: '12', reasons: ['volume'] },
      { hour: '13', reasons: ['volume', 'negative'] },
    ])
  })

  it('shows surges to leads of the team only', async () => {
    const agent = await signedInAs(ctx, app, 'agent', [teamId])
    const otherLead = await signedInAs(ctx, app, 'lead', [await createTeam(ctx, 'Elsewhere')])
    expect((await app.inject({ method: 'GET', url: '/api/reports/surges', headers: agent.headers })).statusCode).toBe(403)
    const other = await app.inject({ method: 'GET', url: '/api/reports/surges', headers: otherLead.headers })
    expect(other.statusCode).toBe(200)
    expect(other.json<{ items: SurgeAlert[] }>().items).toEqual([])
  })
})
