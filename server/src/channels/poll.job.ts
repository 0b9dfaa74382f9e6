import { teamAudience } from '@carebox/shared'
import type { AppContext } from '../context.js'
import { storeEnvelopes } from '../ingest/inbound-events.repository.js'
import { defineHandler } from '../queue/tasks.js'
import { findChannel, listEnabledPollingChannels, recordChannelError, updateChannel } from './channels.repository.js'
import { toRuntime } from './channels.service.js'
import { ConnectorError, type ChannelConfig } from './connector.js'
import { connectors } from './connectors.js'
import { pollTask, schedulePoll } from './poll.task.js'

/**
 * Intervals when a channel sets none, within each platform's read limits: X's mentions timeline allows
 * only a few requests per 15 minutes on small tiers; Mastodon 300 requests per 5 minutes; Bluesky 3,000.
 */
const defaultIntervalMs: Record<string, number> = { telegram: 1_000, x: 60_000, mastodon: 5_000, bluesky: 5_000 }

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
  try {
    const result = await connector.poll(row.pollCursor, toRuntime(ctx, row))
    await ctx.db.transaction().execute(async (trx) => {
      const stored = await storeEnvelopes(
        trx,
        'poll',
        result.envelopes.map((e) => ({ channelId: row.id, ...e })),
      )
      // The cursor moves in the same transaction that stores what it covers: a crash before commit re-polls.
      await updateChannel(trx, row.id, {
        ...(result.cursor !== null && { pollCursor: result.cursor }),
        lastPolledAt: startedAt,
        ...(stored > 0 && { lastEventAt: startedAt }),
      })
      await schedulePoll(trx, row.id, new Date(startedAt.getTime() + (result.hasMore ? 0 : interval)))
    })
  } catch (error) {
    const wait = error instanceof ConnectorError && error.retryAfterMs !== undefined ? Math.max(interval, error.retryAfterMs) : interval * 2
    const message = error instanceof Error ? error.message : String(error)
    ctx.log.warn({ channelId, err: error, retryInMs: wait }, 'poll failed')
    await recordChannelError(ctx.db, row.id, `Polling failed: ${message}`, startedAt)
    await schedulePoll(ctx.db, row.id, new Date(startedAt.getTime() + wait))
    ctx.realtime.publish('channel.updated', teamAudience(row.teamId), { channelId })
  }
})
