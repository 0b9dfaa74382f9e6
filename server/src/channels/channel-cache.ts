import type { AppContext } from '../context.js'
import { findChannel, listChannelsByExternalIds, type ChannelRow } from './channels.repository.js'
import { toRuntime } from './channels.service.js'
import type { ChannelRuntime } from './connector.js'

interface Cached {
  row: ChannelRow
  runtime: ChannelRuntime
  at: number
}

/**
 * Channels as the hot paths (webhooks, ingest jobs) read them: at thousands of deliveries a second, a lookup
 * and a decryption per delivery would cost more than the delivery. Entries live briefly, so a change made
 * by another process (or a disabled channel) takes effect within `ttlMs`; changes made here clear it at once.
 */
const ttlMs = 2_000
// One cache per database handle, so contexts on different databases never see each other's rows.
const caches = new WeakMap<object, Map<string, Cached>>()

function cacheOf(ctx: AppContext): Map<string, Cached> {
  let cache = caches.get(ctx.db)
  if (!cache) caches.set(ctx.db, (cache = new Map()))
  return cache
}

function remember(ctx: AppContext, row: ChannelRow): Cached {
  const entry = { row, runtime: toRuntime(ctx, row), at: Date.now() }
  cacheOf(ctx).set(row.id, entry)
  return entry
}

export async function cachedChannel(ctx: AppContext, id: string): Promise<Cached | undefined> {
  const hit = cacheOf(ctx).get(id)
  if (hit && Date.now() - hit.at < ttlMs) return hit
  const row = await findChannel(ctx.db, id)
  if (!row) {
    cacheOf(ctx).delete(id)
    return undefined
  }
  return remember(ctx, row)
}

/** Channels of the given kinds and platform ids (Meta routing), from the cache when every one is fresh. */
export async function cachedChannelsByExternalIds(ctx: AppContext, kinds: readonly string[], externalIds: string[]): Promise<Cached[]> {
  const now = Date.now()
  const fresh = [...cacheOf(ctx).values()].filter((c) => now - c.at < ttlMs && kinds.includes(c.row.kind) && externalIds.includes(c.row.externalId))
  if (fresh.length > 0 && externalIds.every((id) => fresh.some((c) => c.row.externalId === id))) return fresh
  const rows = await listChannelsByExternalIds(ctx.db, [...kinds], externalIds)
  return rows.map((row) => remember(ctx, row))
}

export function forgetChannel(ctx: AppContext, id: string): void {
  cacheOf(ctx).delete(id)
}
