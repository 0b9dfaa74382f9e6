import { teamAudience, type SurgeAlert, type SurgeSettings } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { defineHandler } from '../queue/tasks.js'
import { hourStart } from './local-time.js'
import { negativeShare } from './negative-signal.js'
import { loadReportSettings } from './report-settings.repository.js'
import { surgeCheckTask } from './surge-check.task.js'
import { findSurgeConversations, toSurgeAlert, withConversations } from './surges.repository.js'

const hourMs = 3_600_000
const weekMs = 7 * 24 * hourMs
/** The seasonal baseline: the same hour of the week over this many previous weeks (fewer while history is short). */
const baselineWeeks = 4

interface Counts {
  inbound: number
  /** Customer messages whose effective sentiment is negative. */
  negative: number
  /** Those with a sentiment other than unknown; absent for hours counted before labels were kept. */
  labelled?: number
}

interface Subject {
  scope: 'channel' | 'tag'
  key: string
  label: string
  now: Counts
  /** One entry per baseline hour that has history. */
  baseline: Counts[]
}

/**
 * Whether a channel's or tag's current hour is a surge: more customer messages than `volumeFactor` times the
 * baseline's mean (and at least `minMessages`), or a share of negative-signal messages `negativeShareJump` above
 * the baseline's. The current hour is compared as far as it has gone, so a surge shows before the hour is over.
 */
export function judgeSurge(
  subject: Pick<Subject, 'now' | 'baseline'>,
  settings: SurgeSettings,
): { reasons: ('volume' | 'negative')[]; baseline: number; negativeShare: number; baselineNegativeShare: number } {
  const hours = Math.max(1, subject.baseline.length)
  const baseline = subject.baseline.reduce((sum, c) => sum + c.inbound, 0) / hours
  const sum = (count: (c: Counts) => number) => subject.baseline.reduce((total, c) => total + count(c), 0)
  const baselineNegativeShare = negativeShare({
    inbound: sum((c) => c.inbound),
    negative: sum((c) => c.negative),
    labelled: sum((c) => c.labelled ?? c.inbound),
  })
  const share = negativeShare(subject.now)
  const reasons: ('volume' | 'negative')[] = []
  if (subject.now.inbound >= settings.minMessages) {
    if (subject.now.inbound > settings.volumeFactor * baseline) reasons.push('volume')
    if (share >= baselineNegativeShare + settings.negativeShareJump) reasons.push('negative')
  }
  return { reasons, baseline, negativeShare: share, baselineNegativeShare }
}

/** The hours the baseline reads: the same hour in previous weeks with history, else the previous day's hours. */
function baselineHours(hour: Date, earliest: Date | null): Date[] {
  if (!earliest) return []
  const weekly = Array.from({ length: baselineWeeks }, (_, k) => new Date(hour.getTime() - (k + 1) * weekMs)).filter((h) => h >= earliest)
  if (weekly.length > 0) return weekly
  // Less than a week of history: no seasonal baseline yet, so the day before stands in.
  return Array.from({ length: 24 }, (_, k) => new Date(hour.getTime() - (k + 1) * hourMs)).filter((h) => h >= earliest)
}

async function subjects(db: Database, teamId: string, hour: Date): Promise<Subject[]> {
  const earliest =
    (await sql<{ earliest: Date | null }>`select min(hour) as earliest from report_hourly where team_id = ${teamId}::uuid`.execute(db)).rows[0]?.earliest ??
    null
  const hours = [hour, ...baselineHours(hour, earliest)]
  const [{ rows: channelRows }, { rows: tagRows }, channels] = await Promise.all([
    sql<{ hour: Date; key: string; metric: string; count: number }>`
      select hour, channel_id::text as key, metric, sum(count)::int as count from report_hourly
      where team_id = ${teamId}::uuid and hour = any(${hours}::timestamptz[]) and metric in ('customer_messages', 'negative_messages', 'labelled_messages')
      group by hour, channel_id, metric`.execute(db),
    sql<{ hour: Date; key: string; metric: string; count: number }>`
      select hour, tag as key, metric, sum(count)::int as count from report_hourly_tags
      where team_id = ${teamId}::uuid and hour = any(${hours}::timestamptz[]) and metric in ('customer_messages', 'negative_messages', 'labelled_messages')
      group by hour, tag, metric`.execute(db),
    db.selectFrom('channels').select(['id', 'name']).execute(),
  ])
  const names = new Map(channels.map((c) => [c.id, c.name]))
  const build = (scope: 'channel' | 'tag', rows: { hour: Date; key: string; metric: string; count: number }[]): Subject[] => {
    const keys = new Set(rows.filter((r) => r.hour.getTime() === hour.getTime()).map((r) => r.key))
    return [...keys].map((key) => {
      const countsAt = (at: Date): Counts => {
        const find = (metric: string) => rows.find((r) => r.key === key && r.metric === metric && r.hour.getTime() === at.getTime())?.count
        return { inbound: find('customer_messages') ?? 0, negative: find('negative_messages') ?? 0, labelled: find('labelled_messages') }
      }
      return { scope, key, label: scope === 'channel' ? (names.get(key) ?? 'A channel') : key, now: countsAt(hour), baseline: hours.slice(1).map(countsAt) }
    })
  }
  return [...build('channel', channelRows), ...build('tag', tagRows)]
}

export const surgeCheckHandler = defineHandler(surgeCheckTask, async (ctx, { teamId }) => {
  const now = ctx.clock.now()
  const hour = hourStart(now)
  const settings = (await loadReportSettings(ctx.db)).surge
  const raised: SurgeAlert[] = []
  // Last hour's alerts: a surge going on into this hour is kept for the record but not announced again, unless
  // it has a new reason (volume, then complaints too).
  const previous = await ctx.db
    .selectFrom('surgeAlerts')
    .select(['scope', 'key', 'reasons'])
    .where('teamId', '=', teamId)
    .where('windowStart', '=', new Date(hour.getTime() - hourMs))
    .execute()
  const ongoing = (alert: SurgeAlert) =>
    previous.some((p) => p.scope === alert.scope && p.key === alert.key && alert.reasons.every((reason) => p.reasons.includes(reason)))
  for (const subject of await subjects(ctx.db, teamId, hour)) {
    const verdict = judgeSurge(subject, settings)
    if (verdict.reasons.length === 0) continue
    const behind = await sql<{ id: string }>`
      select c.id from conversations c join channels ch on ch.id = c.channel_id
      where c.team_id = ${teamId}::uuid and c.last_inbound_at >= ${hour}
        and ${subject.scope === 'channel' ? sql`c.channel_id = ${subject.key}::uuid` : sql`${subject.key} = any(c.tags)`}
      order by c.last_inbound_at desc limit 50`.execute(ctx.db)
    const inserted = await ctx.db
      .insertInto('surgeAlerts')
      .values({
        teamId,
        scope: subject.scope,
        key: subject.key,
        label: subject.label,
        reasons: verdict.reasons,
        windowStart: hour,
        windowEnd: new Date(hour.getTime() + hourMs),
        inbound: subject.now.inbound,
        baseline: verdict.baseline,
        negativeShare: verdict.negativeShare,
        baselineNegativeShare: verdict.baselineNegativeShare,
        conversationIds: behind.rows.map((r) => r.id),
        createdAt: now,
      })
      // One alert per channel or tag and hour: later checks in the same hour add nothing.
      .onConflict((oc) => oc.constraint('surge_alerts_window_key').doNothing())
      .returningAll()
      .executeTakeFirst()
    if (inserted) raised.push(toSurgeAlert(inserted))
  }
  const fresh = raised.filter((alert) => !ongoing(alert))
  // Named, so the live alert lists the conversations as the dashboard does.
  const named = await findSurgeConversations(ctx.db, [...new Set(fresh.flatMap((alert) => alert.conversationIds))])
  for (const alert of fresh) ctx.realtime.publish('surge.detected', teamAudience(teamId), withConversations(alert, named))
  if (raised.length > 0) ctx.log.info({ teamId, surges: raised.map((a) => `${a.scope}:${a.label}`), announced: fresh.length }, 'surge detected')
})
