import { channelQuietAfterMs, channelQuietRule, type ChannelHealth, type ChannelKind } from '@carebox/shared'
import { listChannels, type ChannelRow } from '../channels/channels.repository.js'
import type { AppContext } from '../context.js'
import { isPollFailing } from '../ingest/poll.job.js'
import { listLatestArrivals, listRecentArrivals, type LatestArrivals } from './channel-health.repository.js'

const dayMs = 86_400_000

/**
 * Every channel's intake as it is, not as its last poll felt: the last poll the platform answered, the last webhook
 * received (apart), the last error in the platform's words, and "nothing received for N minutes" when that is
 * unusual against the channel's own traffic (channelQuietRule).
 */
export async function listChannelHealth(ctx: AppContext): Promise<ChannelHealth[]> {
  const now = ctx.clock.now()
  const channels = await listChannels(ctx.db)
  const ids = channels.map((channel) => channel.id)
  const since = new Date(now.getTime() - channelQuietRule.windowDays * dayMs)
  const [latest, recent] = await Promise.all([
    listLatestArrivals(ctx.db, ids),
    // One more than the sample, so that the sample has as many gaps as it has arrivals.
    listRecentArrivals(ctx.db, ids, since, channelQuietRule.sampleSize + 1),
  ])
  return channels.map((row) => toHealth(row, latest.get(row.id), recent.get(row.id) ?? [], now))
}

function toHealth(row: ChannelRow, latest: LatestArrivals | undefined, recent: Date[], now: Date): ChannelHealth {
  const mode = (row.config as { mode?: string }).mode === 'polling' ? 'polling' : 'webhook'
  const lastWebhookAt = latest?.lastWebhookAt ?? null
  const lastPolledItemAt = latest?.lastPolledItemAt ?? null
  const lastReceivedAt = latestOf(lastWebhookAt, lastPolledItemAt)
  const isFailing = mode === 'polling' && isPollFailing(row)
  const { usualGapMs, arrivals } = usualGap(recent)
  const silentMs = lastReceivedAt ? now.getTime() - lastReceivedAt.getTime() : 0
  const isQuiet = row.enabled && usualGapMs !== null && silentMs > channelQuietAfterMs(usualGapMs)
  return {
    channelId: row.id,
    name: row.name,
    kind: row.kind as ChannelKind,
    mode,
    enabled: row.enabled,
    status: !row.enabled ? 'disabled' : isFailing ? 'failing' : isQuiet ? 'quiet' : 'ok',
    lastPollOkAt: row.lastPolledAt?.toISOString() ?? null,
    lastWebhookAt: lastWebhookAt?.toISOString() ?? null,
    lastReceivedAt: lastReceivedAt?.toISOString() ?? null,
    lastError: row.lastError && row.lastErrorAt ? { message: row.lastError, at: row.lastErrorAt.toISOString() } : null,
    isPollFailing: isFailing,
    cursorReset: row.pollCursorResetAt && row.pollCursorResetReason ? { at: row.pollCursorResetAt.toISOString(), reason: row.pollCursorResetReason } : null,
    usualGapSeconds: usualGapMs === null ? null : Math.round(usualGapMs / 100) / 10,
    arrivals,
    quietMinutes: isQuiet ? Math.floor(silentMs / 60_000) : null,
  }
}

/** The median gap between the newest arrivals (of both sources, merged), or null with too few to tell. */
export function usualGap(times: Date[]): { usualGapMs: number | null; arrivals: number } {
  const distinct = [...new Set(times.map((time) => time.getTime()))].sort((a, b) => b - a).slice(0, channelQuietRule.sampleSize + 1)
  const arrivals = Math.min(distinct.length, channelQuietRule.sampleSize)
  if (distinct.length < channelQuietRule.minArrivals) return { usualGapMs: null, arrivals }
  const gaps = distinct.slice(1).map((time, index) => distinct[index]! - time)
  gaps.sort((a, b) => a - b)
  const middle = Math.floor(gaps.length / 2)
  const median = gaps.length % 2 === 1 ? gaps[middle]! : (gaps[middle - 1]! + gaps[middle]!) / 2
  return { usualGapMs: median, arrivals }
}

function latestOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b
  if (!b) return a
  return a > b ? a : b
}
