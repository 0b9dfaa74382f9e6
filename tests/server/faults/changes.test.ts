import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../../server/src/db/client.js'
import { findFreePort } from '../../../server/src/db/embedded.js'
import { rebuildReports } from '../../../server/src/reports/rebuild.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { clusterPool, eventually, makeDataDir, startNode, writeChannelsFile, type CareboxNode } from '../../support/carebox-node.js'

// The record of changes under faults: the process running the consumers is killed (SIGKILL) before or while it
// processes what committed, or restarted under load. Afterwards every change must have been followed exactly once:
// every consumer's cursor at the end of the record, each conversation with its SLA deadline and timer, and the
// report rollups equal to what a rebuild from scratch computes (a change applied twice would count twice).

const phoneNumberId = '130000000000515'
const appSecret = 'faults-changes-secret'
let sim: Simulator
let data: Awaited<ReturnType<typeof makeDataDir>>
let node: CareboxNode | undefined
let port: number
let pool: pg.Pool | undefined
let channelsFile: string

beforeAll(async () => {
  data = await makeDataDir('faults-changes')
  port = await findFreePort()
  sim = await startSimulator({ retryScheduleMs: [250, 500, 1000, 2000, 3000, 5000, 8000, 13_000], receiptDelayMs: 50 })
  sim.addAccount({
    kind: 'whatsapp',
    externalId: phoneNumberId,
    secrets: { appSecret, accessToken: 'wa-token' },
    webhookUrl: `http://127.0.0.1:${port}/webhooks/meta`,
  })
  channelsFile = await writeChannelsFile(data.dir, [
    {
      kind: 'whatsapp',
      name: 'Changes WhatsApp',
      externalId: phoneNumberId,
      settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('whatsapp') },
      secrets: { appSecret, accessToken: 'wa-token' },
    },
  ])
})
afterAll(async () => {
  await node?.stop()
  await pool?.end()
  await sim.close()
  await data.remove()
})

function start(consumers = 'all'): Promise<CareboxNode> {
  return startNode({ dataDir: data.dir, port, env: { CAREBOX_CHANNELS_FILE: channelsFile, CAREBOX_CHANGE_CONSUMERS: consumers } })
}

async function db(): Promise<pg.Pool> {
  pool ??= await clusterPool(data.dir)
  return pool
}

function customersWrite(count: number, tag: string) {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      sim.customerWrites(phoneNumberId, {
        from: { id: `5511955${tag.length}${String(i).padStart(5, '0')}`, name: `Cliente ${tag} ${i}` },
        text: `${tag} ${i}`,
      }),
    ),
  )
}

async function storedMessages(ids: string[]): Promise<number> {
  const { rows } = await (await db()).query<{ n: number }>('select count(*)::int as n from messages where external_id = any($1)', [ids])
  return rows[0]?.n ?? 0
}

/** How many changes each consumer still has to process (its cursor against the end of the record). */
async function behind(): Promise<Record<string, number>> {
  const { rows } = await (
    await db()
  ).query<{ name: string; behind: number }>(
    `select c.name, (select count(*) from changes x where (x.tx, x.seq) > (c.tx, c.seq))::int as behind from change_consumers c order by name`,
  )
  return Object.fromEntries(rows.map((r) => [r.name, r.behind]))
}

const allCaughtUp = (state: Record<string, number>) => Object.keys(state).length === 6 && Object.values(state).every((n) => n === 0)

/** The rollups as stored, without bookkeeping columns: what a rebuild must reproduce. */
async function rollups(): Promise<string[]> {
  const { rows } = await (
    await db()
  ).query<{ row: string }>(
    `select row from (
       select 'daily ' || (to_jsonb(d))::text as row from report_daily d where count <> 0
       union all select 'hourly ' || (to_jsonb(h))::text from report_hourly h where count <> 0
       union all select 'cycle ' || (to_jsonb(c) - 'updated_at')::text from report_cycles c
     ) r order by row`,
  )
  return rows.map((r) => r.row)
}

/** For a failure's report: a few conversations that have no deadline, their messages, changes and the cursors. */
async function withoutDeadline(p: pg.Pool, externalIds: string[]): Promise<unknown> {
  const { rows } = await p.query(
    `select c.id, c.status, c.sla_state, c.team_id, c.created_at,
       (select json_agg(json_build_object('direction', m.direction, 'kind', m.kind, 'sentAt', m.sent_at, 'createdAt', m.created_at)) from messages m
         where m.conversation_id = c.id) as messages,
       (select json_agg(json_build_object('seq', x.seq, 'tx', x.tx::text, 'type', x.type, 'at', x.occurred_at) order by x.seq) from changes x
         where x.conversation_id = c.id) as changes,
       (select json_agg(json_build_object('kind', t.kind, 'status', t.status, 'due', t.due_at)) from sla_targets t where t.conversation_id = c.id) as targets
     from conversations c
     where c.sla_due_at is null and c.id in (select conversation_id from messages where external_id = any($1))
     limit 3`,
    [externalIds],
  )
  const { rows: cursors } = await p.query(`select name, tx::text, seq, processed, updated_at from change_consumers order by name`)
  const { rows: failures } = await p.query(`select * from change_failures`)
  return { conversations: rows, cursors, failures }
}

async function expectFollowedOnce(externalIds: string[]): Promise<void> {
  const p = await db()
  // No consumer gave up on a change: a fault is not a reason to skip one.
  const { rows: parked } = await p.query<{ consumer: string; error: string }>('select consumer, error from change_failures where parked_at is not null')
  expect(parked).toEqual([])
  // Every conversation the customers started has its first-response deadline, its SLA timer, and one target.
  const { rows } = await p.query<{ conversations: number; withDeadline: number; targets: number; timers: number }>(
    `select count(*)::int as conversations,
       count(*) filter (where c.sla_due_at is not null)::int as "withDeadline",
       (select count(*) from sla_targets t where t.conversation_id = any(array_agg(c.id)) and t.kind = 'first_response')::int as targets,
       (select count(*) from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
          where k.identifier = 'sla.timer'
            and (j.payload->>'targetId')::uuid in (select t.id from sla_targets t where t.conversation_id = any(array_agg(c.id))))::int as timers
     from conversations c where c.id in (select conversation_id from messages where external_id = any($1))`,
    [externalIds],
  )
  const state = rows[0]!
  expect(state.conversations).toBe(externalIds.length)
  // What a failure needs to be understood, computed only then.
  const report = state.withDeadline === state.conversations ? '' : JSON.stringify(await withoutDeadline(p, externalIds), null, 1)
  expect(state.withDeadline, report).toBe(state.conversations)
  expect(state.targets).toBe(state.conversations)
  expect(state.timers).toBeGreaterThanOrEqual(state.conversations)
  // No change was applied twice: the rollups are what a rebuild from scratch computes.
  const live = await rollups()
  const kysely = createDatabase(p)
  await rebuildReports(kysely, new Date())
  expect(await rollups()).toEqual(live)
}

/**
 * 200 customers write; while the consumers are behind on the burst, the node goes (`end`) and a new one starts.
 * Resolves once every delivery is stored and every consumer has caught up, with the deliveries' platform ids.
 */
async function burstAcrossRestart(tag: string, end: () => Promise<unknown>): Promise<string[]> {
  const writing = customersWrite(200, tag)
  await eventually(behind, (state) => Object.values(state).some((n) => n > 0), 30_000, 20)
  await end()
  node = await start()
  const ids = (await writing).map((r) => r.externalId ?? '')
  await eventually(
    () => storedMessages(ids),
    (n) => n === ids.length,
    90_000,
  )
  await eventually(behind, allCaughtUp, 60_000)
  return ids
}

describe('the consumers of changes under faults', { timeout: 240_000 }, () => {
  it('killed after the changes commit and before they are processed: the next process follows each exactly once', async () => {
    node = await start('none')
    // Every customer's conversation gets a first-response deadline, whatever its priority.
    const target = { first_response: { minutes: 60, businessHours: false } }
    await (
      await db()
    ).query(`insert into sla_policies (position, name, targets) values (0, 'Faults', $1)`, [
      JSON.stringify({ urgent: target, high: target, normal: target, low: target }),
    ])
    const reports = await customersWrite(40, 'before')
    const ids = reports.map((r) => r.externalId ?? '')
    await eventually(
      () => storedMessages(ids),
      (n) => n === ids.length,
    )
    const unprocessed = await behind()
    await node.kill()
    // Every consumer has a cursor from the start, and each is behind by every change since.
    expect(Object.keys(unprocessed)).toHaveLength(6)
    expect(Object.values(unprocessed).every((n) => n >= ids.length)).toBe(true)

    node = await start()
    await eventually(behind, allCaughtUp, 60_000)
    await expectFollowedOnce(ids)
  })

  it('killed while processing a burst: after a restart nothing is lost and nothing counts twice', async () => {
    const ids = await burstAcrossRestart('burst', () => node!.kill())
    await expectFollowedOnce(ids)
  })

  it('restarted cleanly under load: nothing lost, nothing duplicated', async () => {
    const ids = await burstAcrossRestart('restart', () => node!.stop())
    const { rows } = await (
      await db()
    ).query<{ n: number }>(
      `select count(*)::int as n from (select external_id from messages where external_id = any($1) group by external_id having count(*) > 1) d`,
      [ids],
    )
    expect(rows[0]?.n).toBe(0)
    await expectFollowedOnce(ids)
  })
})
