import { reportExportColumns } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { csvCell, csvLine } from '../../../server/src/reports/export-csv.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, firstTeamId, signIn, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation } from '../../support/routing.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
const clock = createTestClock(new Date('2026-03-02T09:00:00Z'))

interface Person {
  id: string
  email: string
  password: string
}

let teamA: string
let teamB: string
let teamC: string
let channelA1: string
let channelA2: string
let alice: Person
let bob: Person
let carol: Person
let people: Record<'admin' | 'leadA' | 'alice' | 'bob' | 'leadB' | 'agentB' | 'leadC', SignedIn>
/** conv1: two cycles (resolved, then the customer wrote again); conv2: the second channel; the rest by team. */
const ids = { conv1: '', conv2: '', convT: '', hostile: '', commas: '', convB: '' }

/** The names an attacker controls: a spreadsheet must show them as text, never run them. */
const hostileTeam = '=HYPERLINK("http://x")'
const hostileChannel = '-2'
const hostileAgent = '@SUM(A1)'
const awkwardChannel = 'Sales, "EU"\r\nline 2'

function at(iso: string): void {
  clock.set(new Date(iso))
}

/** Sessions expire when idle: acting after the clock moved a day needs a fresh one. */
async function as(person: Person): Promise<SignedIn> {
  return signIn(app, person.email, person.password)
}

async function post(person: Person, url: string, payload: object): Promise<{ id: string }> {
  const response = await app.inject({ method: 'POST', url, headers: (await as(person)).headers, payload })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ id: string }>()
}

async function reply(person: Person, conversationId: string, text: string): Promise<string> {
  return (await post(person, `/api/conversations/${conversationId}/replies`, { text, clientKey: crypto.randomUUID() })).id
}

async function tag(person: Person, conversationId: string, tags: string[]): Promise<void> {
  const response = await app.inject({ method: 'PATCH', url: `/api/conversations/${conversationId}`, headers: (await as(person)).headers, payload: { tags } })
  expect(response.statusCode, response.body).toBe(200)
}

async function resolve(person: Person, conversationId: string): Promise<void> {
  await post(person, `/api/conversations/${conversationId}/status`, { status: 'resolved' })
}

async function get(who: SignedIn | Record<string, string>, url: string) {
  const headers = 'headers' in who ? (who.headers as Record<string, string>) : who
  return app.inject({ method: 'GET', url, headers })
}

/** A plain RFC 4180 reader: records end with CRLF, quoted fields may hold commas, CR, LF and doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let i = 0
  while (i < text.length) {
    if (text[i] === '"' && field === '') {
      i += 1
      for (;;) {
        const quote = text.indexOf('"', i)
        if (quote < 0) throw new Error('unterminated quoted field')
        field += text.slice(i, quote)
        if (text[quote + 1] === '"') {
          field += '"'
          i = quote + 2
        } else {
          i = quote + 1
          break
        }
      }
      if (text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`)
    } else if (text[i] === ',') {
      record.push(field)
      field = ''
      i += 1
    } else if (text[i] === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i += 2
    } else {
      if (text[i] === '"' || text[i] === '\r' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`)
      field += text[i]
      i += 1
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record has no CRLF')
  return records
}

type ExportRow = Record<(typeof reportExportColumns)[number], string>

async function exportRows(who: SignedIn | Record<string, string>, query = ''): Promise<ExportRow[]> {
  const response = await get(who, `/api/reports/export.csv${query}`)
  expect(response.statusCode, response.body).toBe(200)
  const [header, ...records] = parseCsv(response.body)
  expect(header).toEqual([...reportExportColumns])
  return records.map((record) => {
    expect(record).toHaveLength(reportExportColumns.length)
    return Object.fromEntries(reportExportColumns.map((column, index) => [column, record[index]])) as ExportRow
  })
}

const cycleKeys = (rows: ExportRow[]) => rows.map((row) => `${row.conversation_id}#${row.cycle}`)
const key = (conversation: keyof typeof ids, cycle = 1) => `${ids[conversation]}#${cycle}`

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  teamA = await firstTeamId(ctx)
  await ctx.db.updateTable('teams').set({ name: 'Support' }).where('id', '=', teamA).execute()
  teamB = await createTeam(ctx, 'Team B')
  teamC = await createTeam(ctx, hostileTeam)
  const channel = (name: string, externalId: string, teamId: string) =>
    createChannel(ctx, {
      kind: 'telegram',
      name,
      externalId,
      teamId,
      settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
      secrets: { botToken: `${externalId}:AA`, webhookSecret: 'w' },
    })
  channelA1 = (await channel('Bot', '101', teamA)).id
  channelA2 = (await channel('Second bot', '102', teamA)).id
  const channelB = (await channel('B bot', '201', teamB)).id
  const channelC1 = (await channel(hostileChannel, '301', teamC)).id
  const channelC2 = (await channel('placeholder', '302', teamC)).id
  // Names come from anywhere (a platform's page title, an admin's typing): nothing in the API stops a line break.
  await ctx.db.updateTable('channels').set({ name: awkwardChannel }).where('id', '=', channelC2).execute()

  alice = await createUser(ctx, { role: 'agent', teamIds: [teamA], name: 'Alice' })
  bob = await createUser(ctx, { role: 'agent', teamIds: [teamA], name: 'Bob' })
  carol = await createUser(ctx, { role: 'agent', teamIds: [teamC], name: hostileAgent })
  const admin = await createUser(ctx, { role: 'admin', teamIds: [] })
  const leadA = await createUser(ctx, { role: 'lead', teamIds: [teamA] })
  const leadB = await createUser(ctx, { role: 'lead', teamIds: [teamB] })
  const agentB = await createUser(ctx, { role: 'agent', teamIds: [teamB] })
  const leadC = await createUser(ctx, { role: 'lead', teamIds: [teamC] })

  at('2026-03-02T09:00:00Z')
  ids.conv1 = await newConversation(ctx, channelA1)
  await customerWrites(ctx, ids.conv1, 'Hello, my parcel never came')
  at('2026-03-02T09:10:00Z')
  await reply(alice, ids.conv1, 'Sorry! Looking into it')
  at('2026-03-02T09:15:00Z')
  await tag(alice, ids.conv1, ['refund'])
  at('2026-03-02T09:20:00Z')
  ids.conv2 = await newConversation(ctx, channelA2)
  await customerWrites(ctx, ids.conv2, 'Do you ship to Norway?')
  at('2026-03-02T09:25:00Z')
  await reply(bob, ids.conv2, 'We do')
  await tag(bob, ids.conv2, ['vip'])
  at('2026-03-02T09:30:00Z')
  await resolve(alice, ids.conv1)
  at('2026-03-02T09:40:00Z')
  ids.hostile = await newConversation(ctx, channelC1)
  await customerWrites(ctx, ids.hostile, 'hi')
  at('2026-03-02T09:45:00Z')
  await reply(carol, ids.hostile, 'Hello')
  await tag(carol, ids.hostile, ['+1', 'say"hi"'])
  at('2026-03-02T09:50:00Z')
  ids.commas = await newConversation(ctx, channelC2)
  await customerWrites(ctx, ids.commas, 'hello?')
  at('2026-03-02T09:55:00Z')
  ids.convB = await newConversation(ctx, channelB)
  await customerWrites(ctx, ids.convB, 'Anyone there?')

  at('2026-03-03T10:00:00Z')
  await customerWrites(ctx, ids.conv1, 'It still has not come')
  at('2026-03-03T10:05:00Z')
  await reply(bob, ids.conv1, 'Refund sent')

  at('2026-03-03T12:00:00Z')
  people = {
    admin: await as(admin),
    leadA: await as(leadA),
    alice: await as(alice),
    bob: await as(bob),
    leadB: await as(leadB),
    agentB: await as(agentB),
    leadC: await as(leadC),
  }
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('csvCell', () => {
  it('neutralises text starting with a formula character, tab or carriage return, and leaves our numbers alone', () => {
    const cells = ['=1+1', '+1', '-2', '@SUM(A1)', '\tcmd', '\rcmd', 'plain'].map((text) => csvCell({ text }))

    expect(cells).toEqual(["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tcmd", `"'\rcmd"`, 'plain'])
    expect([csvCell(-2), csvCell(0), csvCell(true), csvCell(null), csvCell({ text: null })]).toEqual(['-2', '0', 'true', '', ''])
    expect(csvLine(['a,b', { text: 'say "hi"' }, 'x\ny'])).toBe('"a,b","say ""hi""","x\ny"\r\n')
  })
})

describe('GET /api/reports/export.csv', () => {
  it('writes the header then one row per cycle with the exact columns, as an attachment named after the period', async () => {
    // The first cycle's resolve got a satisfaction rating, with a comment a spreadsheet would run as a formula.
    const resolution = await ctx.db
      .selectFrom('conversationResolutions')
      .select('id')
      .where('conversationId', '=', ids.conv1)
      .where('resolvedAt', '=', new Date('2026-03-02T09:30:00.000Z'))
      .executeTakeFirstOrThrow()
    await ctx.db
      .insertInto('surveys')
      .values({
        conversationId: ids.conv1,
        resolutionId: resolution.id,
        token: 'exportTok1',
        status: 'answered',
        rating: 4,
        comment: '=cmd|calc',
        dueAt: new Date('2026-03-02T09:35:00.000Z'),
        offeredAt: new Date('2026-03-02T09:35:00.000Z'),
        answeredAt: new Date('2026-03-02T09:40:00.000Z'),
      })
      // The seeding's resolve may have scheduled its survey already: this is its answer.
      .onConflict((oc) => oc.column('resolutionId').doUpdateSet({ status: 'answered', rating: 4, comment: '=cmd|calc' }))
      .execute()
    const response = await get(people.leadA, '/api/reports/export.csv?period=custom&from=2026-03-02&to=2026-03-03')

    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe('attachment; filename="carebox-conversations-2026-03-02-2026-03-03.csv"')
    const [header, ...records] = parseCsv(response.body)
    expect(header).toEqual([...reportExportColumns])
    const first = records.find((record) => record[0] === ids.conv1 && record[1] === '1')
    expect(first).toEqual([
      ids.conv1,
      '1',
      'Bot',
      'Support',
      'Alice',
      'refund',
      '2026-03-02T09:00:00.000Z',
      '2026-03-02T09:10:00.000Z',
      '600',
      '600',
      '2026-03-02T09:30:00.000Z',
      '1800',
      '1800',
      '1200',
      '1',
      '1',
      '1',
      'true',
      '0',
      '0',
      '4',
      "'=cmd|calc",
    ])
    const second = records.find((record) => record[0] === ids.conv1 && record[1] === '2')
    expect(second).toEqual([
      ids.conv1,
      '2',
      'Bot',
      'Support',
      'Bob',
      'refund',
      '2026-03-03T10:00:00.000Z',
      '2026-03-03T10:05:00.000Z',
      '300',
      '300',
      '',
      '',
      '',
      '',
      '1',
      '1',
      '1',
      'false',
      '0',
      '0',
      '',
      '',
    ])
    const audit = await ctx.db
      .selectFrom('auditLog')
      .select(['actorUserId', 'details'])
      .where('action', '=', 'report.exported')
      .orderBy('at', 'desc')
      .executeTakeFirst()
    expect(audit).toMatchObject({
      actorUserId: people.leadA.userId,
      details: { format: 'csv', teamIds: [teamA], period: { firstDay: '2026-03-02', lastDay: '2026-03-03' } },
    })
  })

  it('neutralises names and tags that a spreadsheet would run as formulas, quoting them per RFC 4180', async () => {
    const response = await get(people.leadC, '/api/reports/export.csv?period=7d')
    const rows = await exportRows(people.leadC, '?period=7d')

    const hostile = rows.find((row) => row.conversation_id === ids.hostile)
    expect(hostile).toMatchObject({ team: `'${hostileTeam}`, channel: `'${hostileChannel}`, agent: `'${hostileAgent}`, tags: `'+1 say"hi"` })
    expect(response.body).toContain(`,"'=HYPERLINK(""http://x"")",`)
    expect(response.body).toContain(`,"'+1 say""hi""",`)
    expect(response.body).not.toMatch(/(^|,)[=+\-@]/m)
  })

  it('round-trips commas, quotes and line breaks in a field', async () => {
    const rows = await exportRows(people.leadC, '?period=7d')

    const row = rows.find((r) => r.conversation_id === ids.commas)
    expect(row).toMatchObject({ channel: awkwardChannel, agent: '', tags: '', first_response_at: '', customer_messages: '1', replies: '0' })
  })

  it('narrows the rows by channel, tag, agent and period', async () => {
    const all = await exportRows(people.leadA, '?period=7d')
    const byChannel = await exportRows(people.leadA, `?period=7d&channelId=${channelA2}`)
    const byTag = await exportRows(people.leadA, '?period=7d&tag=REFUND')
    const byAgent = await exportRows(people.leadA, `?period=7d&agentId=${bob.id}`)
    const today = await exportRows(people.leadA, '?period=today')
    const firstDay = await exportRows(people.leadA, '?period=custom&from=2026-03-02&to=2026-03-02')
    const both = await get(people.leadA, `/api/reports/export.csv?agentId=${bob.id}&tag=refund`)

    expect(cycleKeys(all)).toEqual([key('conv1'), key('conv2'), key('conv1', 2)])
    expect(cycleKeys(byChannel)).toEqual([key('conv2')])
    expect(cycleKeys(byTag)).toEqual([key('conv1'), key('conv1', 2)])
    expect(cycleKeys(byAgent)).toEqual([key('conv2'), key('conv1', 2)])
    expect(cycleKeys(today)).toEqual([key('conv1', 2)])
    expect(cycleKeys(firstDay)).toEqual([key('conv1'), key('conv2')])
    expect(both.statusCode).toBe(400)
  })

  it("gives a lead of another team none of this team's rows, and 404 for its team or channel", async () => {
    const own = await exportRows(people.leadB, '?period=7d')
    const otherTeam = await get(people.leadB, `/api/reports/export.csv?teamId=${teamA}`)
    const otherChannel = await get(people.leadB, `/api/reports/export.csv?channelId=${channelA1}`)
    const everything = await exportRows(people.admin, '?period=7d')

    expect(cycleKeys(own)).toEqual([key('convB')])
    expect(otherTeam.statusCode).toBe(404)
    expect(otherChannel.statusCode).toBe(404)
    expect(cycleKeys(everything).sort()).toEqual([key('conv1'), key('conv2'), key('hostile'), key('commas'), key('convB'), key('conv1', 2)].sort())
  })

  it('refuses agents, and lets an API token with reports:read export', async () => {
    const agent = await get(people.alice, '/api/reports/export.csv')
    const created = await app.inject({ method: 'POST', url: '/api/tokens', headers: people.admin.headers, payload: { name: 'BI', scopes: ['reports:read'] } })
    expect(created.statusCode, created.body).toBe(200)
    const token = { authorization: `Bearer ${created.json<{ secret: string }>().secret}` }

    const rows = await exportRows(token, `?period=7d&teamId=${teamB}`)

    expect(agent.statusCode).toBe(403)
    expect(cycleKeys(rows)).toEqual([key('convB')])
  })

  it('streams thousands of cycles in export order, chunked, across pages that share a start time', async () => {
    const teamE = await createTeam(ctx, 'Bulk')
    const channelE = (
      await createChannel(ctx, {
        kind: 'telegram',
        name: 'Bulk bot',
        externalId: '501',
        teamId: teamE,
        settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
        secrets: { botToken: '501:AA', webhookSecret: 'w' },
      })
    ).id
    const conversations = await sql<{ id: string }>`
      with contact as (insert into contacts (name, first_seen_at, last_seen_at) values ('Bulk', now(), now()) returning id)
      insert into conversations (channel_id, team_id, thread_key, kind, contact_id, last_message_at)
      select ${channelE}::uuid, (select team_id from channels where id = ${channelE}::uuid), 'bulk:' || g, 'dm', contact.id, now() from generate_series(1, 60) g, contact returning id`.execute(
      ctx.db,
    )
    expect(conversations.rows).toHaveLength(60)
    // 60 conversations × 50 cycles; three cycles share each start, with microseconds a Date would lose.
    await sql`
      insert into report_cycles (conversation_id, cycle, team_id, channel_id, tags, started_at, customer_messages, answered_messages, replies, reopened, sla_achieved, sla_breached)
      select c.id, n, ${teamE}::uuid, ${channelE}::uuid, '{bulk}', timestamptz '2026-02-20 08:00:00.000001+00' + ((row_number() over (order by c.id, n)) / 3) * interval '1.000001 second',
        1, 0, 0, false, 0, 0
      from (select id from conversations where channel_id = ${channelE}::uuid) c, generate_series(1, 50) n`.execute(ctx.db)
    const expected = await sql<{ key: string }>`
      select conversation_id || '#' || cycle as key from report_cycles where team_id = ${teamE}::uuid order by started_at, conversation_id, cycle`.execute(
      ctx.db,
    )
    const address = await app.listen({ port: 0, host: '127.0.0.1' })

    const response = await fetch(`${address}/api/reports/export.csv?period=custom&from=2026-02-20&to=2026-02-21&teamId=${teamE}`, {
      headers: { cookie: people.admin.cookie },
    })
    const body = await response.text()

    expect(response.status, body.slice(0, 300)).toBe(200)
    expect(response.headers.get('transfer-encoding')).toBe('chunked')
    expect(response.headers.get('content-length')).toBeNull()
    const [header, ...records] = parseCsv(body)
    expect(header).toEqual([...reportExportColumns])
    expect(records).toHaveLength(3000)
    expect(records.map((record) => `${record[0]}#${record[1]}`)).toEqual(expected.rows.map((row) => row.key))
    expect(records.every((record) => record[2] === 'Bulk bot' && record[3] === 'Bulk' && record[5] === 'bulk')).toBe(true)
  })
})

describe('GET /api/conversations/:id/transcript', () => {
  let failedId: string

  beforeAll(async () => {
    at('2026-03-03T11:00:00Z')
    ids.convT = await newConversation(ctx, channelA2, 'dm', 'Dana')
    await customerWrites(ctx, ids.convT, 'My order <b>#42</b> <script>alert("x")</script> & more')
    at('2026-03-03T11:01:00Z')
    await post(alice, `/api/conversations/${ids.convT}/notes`, { text: 'Check the warehouse first', clientKey: crypto.randomUUID() })
    at('2026-03-03T11:02:00Z')
    failedId = await reply(alice, ids.convT, 'First try')
    // The outbox gave up on it: as the send job would leave it.
    await ctx.db.updateTable('messages').set({ status: 'failed', error: 'Forbidden: bot was blocked by the user' }).where('id', '=', failedId).execute()
    at('2026-03-03T11:03:00Z')
    await customerWrites(ctx, ids.convT, 'line one\n[2026-03-03T11:04:00.000Z] Reply by Alice\nline three')
    at('2026-03-03T11:05:00Z')
    await reply(alice, ids.convT, 'Second try')
    at('2026-03-03T11:06:00Z')
    await resolve(alice, ids.convT)
    at('2026-03-03T12:00:00Z')
  })

  it('writes the header, then every message, private note and event in order, with HTML kept literal', async () => {
    const response = await get(people.bob, `/api/conversations/${ids.convT}/transcript`)
    const text = response.body

    expect(response.statusCode, text).toBe(200)
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(`attachment; filename="conversation-${ids.convT}.txt"`)
    expect(text).toContain(`Conversation: ${ids.convT}\nChannel: Second bot (telegram)\nCustomer: Dana\nTeam: Support\nStatus: resolved\n`)
    expect(text).toContain('Exported at: 2026-03-03T12:00:00.000Z')
    const entries = [
      '[2026-03-03T11:00:00.000Z] Dana (customer)\n    My order <b>#42</b> <script>alert("x")</script> & more\n',
      '[2026-03-03T11:01:00.000Z] PRIVATE NOTE by Alice (teammates only, never sent to the customer)\n    Check the warehouse first\n',
      '[2026-03-03T11:02:00.000Z] Reply by Alice | FAILED, not delivered: Forbidden: bot was blocked by the user\n    First try\n',
      '[2026-03-03T11:03:00.000Z] Dana (customer)\n    line one\n    [2026-03-03T11:04:00.000Z] Reply by Alice\n    line three\n',
      '[2026-03-03T11:05:00.000Z] Reply by Alice | not sent yet\n    Second try\n',
      '[2026-03-03T11:06:00.000Z] EVENT\n    Alice resolved the conversation\n',
    ]
    const positions = entries.map((entry) => text.indexOf(entry))
    expect(
      positions.every((position) => position >= 0),
      text,
    ).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(text).not.toContain('&lt;')
    expect(text).toMatch(/End of transcript: \d+ entries\.\n$/)
  })

  it('pages through a long conversation in thread order, entries sharing a time included', async () => {
    const id = await newConversation(ctx, channelA1, 'dm', 'Long')
    const contact = await ctx.db.selectFrom('conversations').select('contactId').where('id', '=', id).executeTakeFirstOrThrow()
    // Pairs share a sent time, with microseconds a Date would lose; created_at breaks the tie.
    await sql`
      insert into messages (conversation_id, channel_id, direction, author_kind, author_contact_id, text, status, sent_at, created_at)
      select ${id}::uuid, ${channelA1}::uuid, 'inbound', 'contact', ${contact.contactId}::uuid, 'message ' || g, 'received',
        timestamptz '2026-03-01 08:00:00.000001+00' + (g / 2) * interval '1.000001 second', timestamptz '2026-03-01 00:00:00+00' + g * interval '1 millisecond'
      from generate_series(1, 1234) g`.execute(ctx.db)

    const response = await get(people.leadA, `/api/conversations/${id}/transcript`)

    expect(response.statusCode).toBe(200)
    const numbers = [...response.body.matchAll(/^ {4}message (\d+)$/gm)].map((match) => Number(match[1]))
    expect(numbers).toEqual(Array.from({ length: 1234 }, (_, index) => index + 1))
    expect(response.body).toMatch(/End of transcript: 1234 entries\.\n$/)
  })

  it('records who exported it in the audit log', async () => {
    const before = await ctx.db
      .selectFrom('auditLog')
      .select('id')
      .where('action', '=', 'conversation.transcript_exported')
      .where('targetId', '=', ids.convT)
      .execute()

    const response = await get(people.leadA, `/api/conversations/${ids.convT}/transcript`)

    expect(response.statusCode).toBe(200)
    const after = await ctx.db
      .selectFrom('auditLog')
      .select(['actorUserId', 'targetType'])
      .where('action', '=', 'conversation.transcript_exported')
      .where('targetId', '=', ids.convT)
      .execute()
    expect(after).toHaveLength(before.length + 1)
    expect(after).toContainEqual({ actorUserId: people.leadA.userId, targetType: 'conversation' })
  })

  it("answers 404 to another team's agent and lead, and records nothing for them", async () => {
    const agent = await get(people.agentB, `/api/conversations/${ids.convT}/transcript`)
    const lead = await get(people.leadB, `/api/conversations/${ids.convT}/transcript`)
    const missing = await get(people.admin, `/api/conversations/${crypto.randomUUID()}/transcript`)

    expect([agent.statusCode, lead.statusCode, missing.statusCode]).toEqual([404, 404, 404])
    const leaked = await ctx.db
      .selectFrom('auditLog')
      .select('id')
      .where('action', '=', 'conversation.transcript_exported')
      .where('actorUserId', 'in', [people.agentB.userId, people.leadB.userId])
      .execute()
    expect(leaked).toEqual([])
  })
})
