import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { findChannel, listChannelsByExternalIds, type ChannelRow } from './channels.repository.js'
import { toRuntime } from './channel-runtime.js'
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

/**
 * `db`: a caller holding a transaction passes it, so a miss is read on the connection it already has; reading on
 * another would need a second connection per job, and jobs holding every connection of the pool would wait on
 * each other for ever.
 */
export async function cachedChannel(ctx: AppContext, id: string, db: Database = ctx.db): Promise<Cached | undefined> {
  const hit = cacheOf(ctx).get(id)
  if (hit && Date.now() - hit.at < ttlMs) return hit
  const row = await findChannel(db, id)
  if (!row) {
    cacheOf(ctx).delete(id)
    return undefined
  }
  return remember(ctx, row)
}

// Lookups by platform ids, remembered with their answer: a WhatsApp delivery names a business account id that no
// channel has beside the phone number id that one has, and that miss must not cost a query per delivery.
const lookups = new WeakMap<object, Map<string, { ids: string[]; at: number }>>()

/** Channels of the given kinds and platform ids (Meta routing). */
export async function cachedChannelsByExternalIds(ctx: AppContext, kinds: readonly string[], externalIds: string[]): Promise<Cached[]> {
  let byKey = lookups.get(ctx.db)
  if (!byKey) lookups.set(ctx.db, (byKey = new Map()))
  const key = `${kinds.join(',')}|${[...externalIds].sort().join(',')}`
  const now = Date.now()
  const remembered = byKey.get(key)
  if (remembered && now - remembered.at < ttlMs) {
    const hits = remembered.ids.map((id) => cacheOf(ctx).get(id))
    if (hits.every((hit): hit is Cached => hit !== undefined && now - hit.at < ttlMs)) return hits
  }
  const rows = await listChannelsByExternalIds(ctx.db, [...kinds], externalIds)
  if (byKey.size > 10_000) byKey.clear()
  byKey.set(key, { ids: rows.map((row) => row.id), at: now })
  return rows.map((row) => remember(ctx, row))
}

export function forgetChannel(ctx: AppContext, id: string): void {
  cacheOf(ctx).delete(id)
  lookups.get(ctx.db)?.clear()
}
