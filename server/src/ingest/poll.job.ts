import { teamAudience } from '@carebox/shared'
import type { AppContext } from '../context.js'
import { storeEnvelopes } from './inbound-events.repository.js'
import { defineHandler } from '../queue/tasks.js'
import { findChannel, listEnabledPollingChannels, recordChannelError, updateChannel, type ChannelRow } from '../channels/channels.repository.js'
import { toRuntime } from '../channels/channel-runtime.js'
import { ConnectorError, type ChannelConfig } from '../channels/connector.js'
import { connectors } from '../channels/connectors.js'
import { pollTask, schedulePoll } from '../channels/poll.task.js'

/**
 * Intervals when a channel sets none, within each platform's read limits: X's mentions timeline allows
 * only a few requests per 15 minutes on small tiers; Mastodon 300 requests per 5 minutes; Bluesky 3,000.
 */
const defaultIntervalMs: Record<string, number> = { telegram: 1_000, x: 60_000, mastodon: 5_000, bluesky: 5_000 }

const pollFailurePrefix = 'Polling failed:'

/** At start, make sure every enabled polling channel has its next poll scheduled. */
export async function ensurePolling(ctx: AppContext): Promise<void> {
  const channels = await listEnabledPollingChannels(ctx.db)
  for (const channel of channels) await schedulePoll(ctx.db, channel.id, ctx.clock.now())
}

export const pollHandler = defineHandler(pollTask, async (ctx, { channelId }) => {
  const row = await findChannel(ctx.db, channelId)
  const config = row?.config as unknown as ChannelConfig | undefined
  const connector = row ? connectors[row.kind as keyof typeof connectors] : undefined
  // A disabled or deleted channel, or one switched to webhooks, simply stops being polled.
  if (!row || !row.enabled || config?.mode !== 'polling' || !connector?.poll) return
  const interval = config.pollIntervalMs ?? defaultIntervalMs[row.kind] ?? 5_000
  const startedAt = ctx.clock.now()
  const log = ctx.log.child({ channelId, kind: row.kind })
  try {
    const result = await connector.poll(row.pollCursor, toRuntime(ctx, row))
    const stored = await ctx.db.transaction().execute(async (trx) => {
      const created = await storeEnvelopes(
        trx,
        'poll',
        result.envelopes.map((e) => ({ channelId: row.id, ...e })),
      )
      // The cursor moves in the same transaction that stores what it covers: a crash before commit re-polls.
      // lastPolledAt is the last poll the platform answered: a failed one (below) leaves it, so it never reads as
      // fine while polling fails.
      await updateChannel(trx, row.id, {
        ...(result.cursor !== null && { pollCursor: result.cursor }),
        lastPolledAt: startedAt,
        ...(created > 0 && { lastEventAt: startedAt }),
        ...(result.cursorReset !== undefined && { pollCursorResetAt: startedAt, pollCursorResetReason: result.cursorReset.slice(0, 1000) }),
      })
      await schedulePoll(trx, row.id, new Date(startedAt.getTime() + (result.hasMore ? 0 : interval)))
      return created
    })
    // A poll every second or so is routine: the log says only what changed (new messages, a recovery, a cursor
    // that no longer matched the platform), and everything else at debug.
    if (result.cursorReset !== undefined) {
      log.warn(
        { previousCursor: row.pollCursor, cursor: result.cursor, stored },
        `poll cursor no longer matched the platform, recovered: ${result.cursorReset}`,
      )
      ctx.realtime.publish('channel.updated', teamAudience(row.teamId), { channelId })
    }
    if (isPollFailing(row)) {
      log.info({ lastError: row.lastError, lastFailureAt: row.lastErrorAt, stored }, 'polling works again')
      ctx.realtime.publish('channel.updated', teamAudience(row.teamId), { channelId })
    } else if (stored > 0) log.info({ stored, polled: result.envelopes.length }, 'polled new events')
    else log.debug({ polled: result.envelopes.length }, 'polled')
  } catch (error) {
    const wait = error instanceof ConnectorError && error.retryAfterMs !== undefined ? Math.max(interval, error.retryAfterMs) : interval * 2
    const message = error instanceof Error ? error.message : String(error)
    // Said once when polling starts failing; the failures after it, until it works again, only at debug.
    if (isPollFailing(row)) log.debug({ err: error, retryInMs: wait }, 'poll failed again')
    else log.warn({ err: error, retryInMs: wait }, 'polling failed; retrying until it works again')
    await recordChannelError(ctx.db, row.id, `${pollFailurePrefix} ${message}`, startedAt)
    await schedulePoll(ctx.db, row.id, new Date(startedAt.getTime() + wait))
    ctx.realtime.publish('channel.updated', teamAudience(row.teamId), { channelId })
  }
})

/** Whether the channel's last poll failed: its last error is a poll's, and no poll has succeeded since. */
export function isPollFailing(row: Pick<ChannelRow, 'lastError' | 'lastErrorAt' | 'lastPolledAt'>): boolean {
  if (!row.lastError?.startsWith(pollFailurePrefix) || !row.lastErrorAt) return false
  return !row.lastPolledAt || row.lastErrorAt >= row.lastPolledAt
}
