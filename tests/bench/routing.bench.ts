import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import pino from 'pino'
import { loadConfig } from '../../server/src/config.js'
import { systemClock, type AppContext } from '../../server/src/context.js'
import { createSecretBox } from '../../server/src/channels/secret-box.js'
import { createChannel } from '../../server/src/channels/channels.service.js'
import { createDatabase, createPool } from '../../server/src/db/client.js'
import { startEmbeddedPostgres } from '../../server/src/db/embedded.js'
import { migrateToLatest } from '../../server/src/db/migrate.js'
import { createMetrics } from '../../server/src/observability/metrics.js'
import { taskHandlers } from '../../server/src/queue/handlers.js'
import { startWorker, workerLogger } from '../../server/src/queue/queue.js'
import { silentRealtime } from '../../server/src/realtime/realtime.js'
import { assignWaiting } from '../../server/src/routing/assign.job.js'
import { stopOnInterrupt } from '../support/process.js'
import { customerWrites, teamOfChannel } from '../support/routing.js'
import { describeLatencies } from './load.js'
import { diskFileStorage } from '../../server/src/files/storage.js'

const agentCount = 50
const waitingCount = Number(process.env.BENCH_WAITING ?? 10_000)
const samples = Number(process.env.BENCH_SAMPLES ?? 200)
const timerCount = Number(process.env.BENCH_TIMERS ?? 300)
const languages = ['en', 'es', 'cs', 'ja', 'zh', 'ru']

/** 50 online agents with mixed skills and 10k conversations waiting in the team queue, written set-based. */
async function seed(ctx: AppContext, teamId: string, channelId: string): Promise<void> {
  await sql`
    with agents as (
      insert into users (email, name, role, password_hash, presence, capacity, skill_languages)
      select 'agent' || g || '@bench.test', 'Agent ' || lpad(g::text, 2, '0'), 'agent', 'x', 'online', 10,
        case when g % 3 = 0 then array[(${languages}::text[])[1 + g % 6]] else '{}' end
      from generate_series(1, ${agentCount}) g
      returning id
    )
    insert into team_members (team_id, user_id) select ${teamId}::uuid, id from agents`.execute(ctx.db)
  await sql`
    with people as (
      insert into contacts (name, first_seen_at, last_seen_at)
      select 'Customer ' || g, now(), now() from generate_series(1, ${waitingCount}) g returning id
    ),
    numbered as (select id, row_number() over () as n from people)
    insert into conversations (channel_id, team_id, contact_id, thread_key, kind, last_message_at, last_inbound_at, priority, language, sla_due_at, sla_state)
    select ${channelId}::uuid, (select team_id from channels where id = ${channelId}::uuid), id, 'bench:' || n, 'dm', now() - n * interval '1 second', now() - n * interval '1 second',
      (array['low', 'normal', 'normal', 'high', 'urgent'])[1 + n % 5], (${languages}::text[])[1 + n % 6],
      now() + (n % 600) * interval '1 minute', 'active'
    from numbered`.execute(ctx.db)
  await sql`analyze`.execute(ctx.db)
}

/**
 * One assignment at a time, as in a working day: an agent resolves a conversation, which frees a slot, and the
 * team's next waiting conversation is handed out. Timed: the whole run (lock, online agents with their load,
 * the head of a 10k queue, the choice, the write).
 */
async function assignmentLatencies(ctx: AppContext, teamId: string): Promise<number[]> {
  await assignWaiting(ctx, teamId) // fill every agent to capacity first
  const times: number[] = []
  for (let i = 0; i < samples; i++) {
    await sql`
      update conversations set status = 'resolved', resolved_at = now()
      where id = (select id from conversations where status = 'open' and assignee_id is not null order by random() limit 1)`.execute(ctx.db)
    const started = performance.now()
    const { assigned } = await assignWaiting(ctx, teamId)
    times.push(performance.now() - started)
    if (assigned !== 1) throw new Error(`expected one assignment, got ${assigned}`)
  }
  return times
}

/**
 * Deadlines one minute after each of `timerCount` customer messages, written over 20 seconds, with the real
 * worker running: how late each timer marks its target breached (the target's update time minus its deadline).
 */
async function timerLags(ctx: AppContext, pool: ReturnType<typeof createPool>, channelId: string): Promise<number[]> {
  await ctx.db
    .insertInto('slaPolicies')
    .values({
      position: 0,
      name: 'Bench',
      conditions: JSON.stringify({ channelIds: [channelId] }),
      targets: JSON.stringify({ normal: { first_response: { minutes: 1, businessHours: false } } }),
    })
    .execute()
  const worker = await startWorker(ctx, pool, taskHandlers, 4)
  const forget = stopOnInterrupt(() => worker.stop())
  try {
    const ids: string[] = []
    const started = Date.now()
    for (let i = 0; i < timerCount; i++) {
      const contact = await ctx.db
        .insertInto('contacts')
        .values({ name: `Timer ${i}`, firstSeenAt: new Date(), lastSeenAt: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
      const conversation = await ctx.db
        .insertInto('conversations')
        .values({ channelId, teamId: teamOfChannel(channelId), contactId: contact.id, threadKey: `timer:${i}`, kind: 'dm', lastMessageAt: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
      await customerWrites(ctx, conversation.id, 'Hello, anyone there?')
      ids.push(conversation.id)
      const due = started + ((i + 1) * 20_000) / timerCount
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()))
    }
    const deadline = Date.now() + 120_000
    for (;;) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from sla_targets where conversation_id = any(${ids}::uuid[]) and status = 'breached'`.execute(ctx.db)
      if ((rows[0]?.n ?? 0) >= ids.length || Date.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    const { rows } = await sql<{ lagMs: number }>`
      select extract(epoch from (updated_at - due_at)) * 1000 as "lagMs" from sla_targets
      where conversation_id = any(${ids}::uuid[]) and status = 'breached'`.execute(ctx.db)
    if (rows.length < ids.length) process.stdout.write(`  warning: only ${rows.length} of ${ids.length} timers fired in time\n`)
    return rows.map((r) => Number(r.lagMs))
  } finally {
    forget()
    await worker.stop()
  }
}

export async function routingBench(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-bench-routing-'))
  await chmod(dataDir, 0o755)
  const log = pino({ level: 'warn' })
  const embedded = await startEmbeddedPostgres({ dataDir, log })
  const pool = createPool(embedded.url, 10)
  const db = createDatabase(pool)
  try {
    await migrateToLatest(db, pool, workerLogger(log))
    const config = loadConfig({ LOG_LEVEL: 'warn', DATABASE_URL: embedded.url, CAREBOX_DEMO: 'off' })
    const ctx: AppContext = {
      config,
      db,
      log,
      clock: systemClock,
      metrics: createMetrics(),
      secrets: createSecretBox(Buffer.alloc(32, 7).toString('base64')),
      realtime: silentRealtime,
      files: diskFileStorage(config.filesDir),
      runtime: { startedAt: new Date(), databaseMode: 'embedded', mediaAllowOrigins: [] },
    }
    const team = await db.insertInto('teams').values({ name: 'Bench', autoAssign: true }).returning('id').executeTakeFirstOrThrow()
    const channel = await createChannel(ctx, {
      kind: 'telegram',
      name: 'Bench',
      externalId: '1',
      settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
      secrets: { botToken: '1:AA', webhookSecret: 'w' },
      teamId: team.id,
    })

    let started = performance.now()
    await seed(ctx, team.id, channel.id)
    process.stdout.write(
      `seeded ${agentCount} online agents and ${waitingCount.toLocaleString('en')} waiting conversations in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    )
    const assignments = await assignmentLatencies(ctx, team.id)
    process.stdout.write(
      `assignment (a slot frees, the next of ${waitingCount.toLocaleString('en')} waiting goes to the least-loaded of ${agentCount}), ${samples} runs: ${describeLatencies(assignments)}\n`,
    )

    started = performance.now()
    const lags = await timerLags(ctx, pool, channel.id)
    process.stdout.write(
      `deadline → timer fired, ${lags.length} SLA deadlines, ${waitingCount.toLocaleString('en')} other conversations waiting: ${describeLatencies(lags)} (target p99 ≤ 1000 ms)\n`,
    )
    process.stdout.write(`  (timer run took ${((performance.now() - started) / 1000).toFixed(0)} s)\n`)
  } finally {
    await db.destroy()
    await embedded.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
