import { randomBytes } from 'node:crypto'
import pino, { type Logger } from 'pino'
import { firstRisingId } from './ids.js'
import type { BlueskyNotification } from './payloads/bluesky.js'
import type { MastodonNotification, MastodonStatus } from './payloads/mastodon.js'
import type { TelegramMessage, TelegramUpdate } from './payloads/telegram.js'
import type { XDmEvent, XV2Tweet, XV2User } from './payloads/x.js'
import type { FaultSpec, RateLimits, RecordedRequest, RecordedSend, SimAccount, SimKind, SimMedia, SimPost, SimTemplate, SimulatorOptions } from './types.js'

/** Everything the simulator remembers: accounts, polling feeds, sessions, faults and the record of calls. */
export interface SimState {
  options: ResolvedOptions
  log: Logger
  /** Set once the server listens. */
  url: string
  accounts: Map<string, SimAccount>
  sends: RecordedSend[]
  requests: RecordedRequest[]
  faults: FaultSpec[]
  telegram: Map<string, TelegramFeed>
  x: Map<string, XFeed>
  mastodon: Map<string, MastodonFeed>
  bluesky: Map<string, BlueskyFeed>
  meta: MetaMemory
  /** Our messages with answer buttons, by the platform's id for them (wamid, `<chat id>:<message_id>`, mid). */
  choices: Map<string, SentChoices>
  /** Telegram callback queries delivered to bots, by query id: whether the bot has answered each. */
  callbackQueries: Map<string, { accountExternalId: string; isAnswered: boolean }>
  /** Files uploaded by our accounts (every platform), by the platform's id for them. */
  media: Map<string, SimMedia>
  sessions: BlueskySessions
  rateWindows: Map<string, { startedAt: number; count: number }>
  /** `state.nextMastodonNotificationId++` takes the next one: above every id of an earlier run (firstRisingId). */
  nextMastodonNotificationId: number
  /** Our Meta app id, as echoes carry it. */
  metaAppId: string
  /** Aborted by close(): ends held requests, long polls, retries and receipt chains. */
  shutdown: AbortController
  background: Set<Promise<unknown>>
  sendListeners: Set<() => void>
}

export interface ResolvedOptions {
  retryScheduleMs: number[]
  adoptUnknownComments: boolean
  receipts: boolean
  receiptDelayMs: number
  webhookTimeoutMs: number
  hangMs: number
  blueskyAccessTtlMs: number
  blueskyRefreshTtlMs: number
  rateLimits: RateLimits
}

export interface TelegramFeed {
  /** The update_id the next update gets (`feed.nextUpdateId++`): above every id of an earlier run (firstRisingId). */
  nextUpdateId: number
  /** Unconfirmed updates, oldest first. */
  updates: TelegramUpdate[]
  listeners: Set<() => void>
  lastError?: { at: Date; message: string }
}

/**
 * A message of ours with answers the customer can tap (specs/outreach.md §2): a WhatsApp list or reply buttons, a
 * Telegram inline keyboard, Messenger or Instagram quick replies.
 */
export interface SentChoices {
  kind: SimKind
  accountExternalId: string
  /** The platform's id for our message: wamid, `<chat id>:<message_id>`, mid. */
  messageId: string
  /** Who got it: wa_id, Telegram chat id, PSID / IGSID. */
  recipientId: string
  control: 'list' | 'button' | 'inline_keyboard' | 'quick_replies'
  /** What the customer sees: titles as the platform shows them (Messenger cuts them to 20 characters). */
  options: { id: string; title: string; description?: string }[]
  /** The buttons are gone: Messenger and Instagram quick replies once one is tapped, a Telegram keyboard once removed. */
  isSpent: boolean
  /** Telegram: our Message as it is now (reply_markup included), handed back in callback_query.message. */
  telegramMessage?: TelegramMessage
  at: Date
}

export interface XFeed {
  /** Mentions timeline, oldest first. */
  mentions: XV2Tweet[]
  users: Map<string, XV2User>
  /** DM events of polling accounts (both directions), oldest first. */
  dmEvents: XDmEvent[]
}

export interface MastodonFeed {
  /** Oldest first. */
  notifications: MastodonNotification[]
  idempotency: Map<string, { status: MastodonStatus; at: number }>
}

export interface BlueskyFeed {
  /** Oldest first; indexedAt strictly increasing so it can serve as the cursor. */
  notifications: BlueskyNotification[]
  lastIndexedAt: number
  seenAt?: string
  /** The records the account wrote with createRecord, by at:// uri. */
  records: Map<string, { cid: string; value: Record<string, unknown> }>
}

export interface CommentRef {
  accountExternalId: string
  authorId: string
  authorUsername?: string
  postId: string
  text: string
  at: Date
  hasPrivateReply?: boolean
  isHidden?: boolean
  isLiked?: boolean
  /** Deleted by the Page / IG account (DELETE), or by its author or the platform (`sim.commentDeleted`): Graph no longer knows it. */
  isDeleted?: boolean
}

/** A post or media as kept: `isMadeUp` when the simulator invented it for a comment, rather than a test's addPost. */
export interface StoredPost extends SimPost {
  isMadeUp: boolean
}

/**
 * The comment `id`, or, when the simulator adopts unknown comments (see SimulatorOptions), one made up for it on
 * `account`: written just now by someone the simulator never met, under the account's default post.
 */
export function commentOrAdopted(state: SimState, id: string, account: SimAccount | undefined): CommentRef | undefined {
  const known = state.meta.comments.get(id)
  if (known || !account || !state.options.adoptUnknownComments || !['facebook', 'instagram'].includes(account.kind)) return known
  const adopted: CommentRef = { accountExternalId: account.externalId, authorId: `unknown-${id}`, postId: `${account.externalId}_0`, text: '', at: new Date() }
  state.meta.comments.set(id, adopted)
  return adopted
}

export interface MetaMemory {
  /** Facebook and Instagram comments (and IG mention comments) by comment id, customers' and our own replies. */
  comments: Map<string, CommentRef>
  /** Page posts and Instagram media that comments belong to, by post / media id. */
  posts: Map<string, StoredPost>
  /** WhatsApp media id → download URL (customers' media; our uploads are in SimState.media). */
  media: Map<string, string>
  /** WhatsApp BSUID → wa_id. */
  waIds: Map<string, string>
  /** People who wrote to a Page or an Instagram account by DM, by PSID / IGSID: what the User Profile API answers. */
  profiles: Map<string, { accountExternalId: string; kind: 'facebook' | 'instagram'; name: string; handle?: string }>
  /** WhatsApp message templates by WABA id: they belong to the business account, shared by its phone numbers. */
  templates: Map<string, SimTemplate[]>
}

export interface BlueskySessions {
  access: Map<string, { did: string; expiresAt: number }>
  refresh: Map<string, { did: string; expiresAt: number }>
  /** Any post we know (customers' and ours): uri → cid, to build reply refs. */
  posts: Map<string, string>
  signingKey: Buffer
}

export const defaultRateLimits: RateLimits = { xMentionsPer15Min: 450, mastodonPer5Min: 300, blueskySessionsPer5Min: 30 }

export function createState(options: SimulatorOptions = {}): SimState {
  return {
    options: {
      retryScheduleMs: options.retryScheduleMs ?? [50, 200, 1000],
      adoptUnknownComments: options.adoptUnknownComments ?? false,
      receipts: options.receipts ?? true,
      receiptDelayMs: options.receiptDelayMs ?? 300,
      webhookTimeoutMs: options.webhookTimeoutMs ?? 5000,
      hangMs: options.hangMs ?? 30_000,
      blueskyAccessTtlMs: options.blueskyAccessTtlMs ?? 120_000,
      blueskyRefreshTtlMs: 60 * 86_400_000,
      rateLimits: { ...defaultRateLimits, ...options.rateLimits },
    },
    log: options.logger ?? pino({ level: 'silent' }),
    url: '',
    accounts: new Map(),
    sends: [],
    requests: [],
    faults: [],
    telegram: new Map(),
    x: new Map(),
    mastodon: new Map(),
    bluesky: new Map(),
    meta: { comments: new Map(), posts: new Map(), media: new Map(), waIds: new Map(), profiles: new Map(), templates: new Map() },
    choices: new Map(),
    callbackQueries: new Map(),
    media: new Map(),
    sessions: { access: new Map(), refresh: new Map(), posts: new Map(), signingKey: randomBytes(32) },
    rateWindows: new Map(),
    nextMastodonNotificationId: firstRisingId(),
    metaAppId: '1217981644879628',
    shutdown: new AbortController(),
    background: new Set(),
    sendListeners: new Set(),
  }
}

function lazy<T>(map: Map<string, T>, key: string, create: () => T): T {
  let value = map.get(key)
  if (!value) {
    value = create()
    map.set(key, value)
  }
  return value
}

export function telegramFeed(state: SimState, botId: string): TelegramFeed {
  // update_id is large and keeps rising across restarts, as Telegram's does; clients must not assume 1.
  return lazy(state.telegram, botId, () => ({ nextUpdateId: firstRisingId(), updates: [], listeners: new Set() }))
}

export function xFeed(state: SimState, userId: string): XFeed {
  return lazy(state.x, userId, () => ({ mentions: [], users: new Map(), dmEvents: [] }))
}

export function mastodonFeed(state: SimState, accountId: string): MastodonFeed {
  return lazy(state.mastodon, accountId, () => ({ notifications: [], idempotency: new Map() }))
}

export function blueskyFeed(state: SimState, did: string): BlueskyFeed {
  return lazy(state.bluesky, did, () => ({ notifications: [], lastIndexedAt: 0, records: new Map() }))
}

export function findAccount(state: SimState, externalId: string, kinds?: readonly SimKind[]): SimAccount | undefined {
  const account = state.accounts.get(externalId)
  return account && (!kinds || kinds.includes(account.kind)) ? account : undefined
}

export function requireAccount(state: SimState, externalId: string): SimAccount {
  const account = state.accounts.get(externalId)
  if (!account) throw new Error(`The simulator has no account ${externalId}: call addAccount first`)
  return account
}

/** The account of `kinds` whose secret `field` equals `value`. */
export function findAccountBySecret(
  state: SimState,
  kinds: readonly SimKind[],
  field: keyof SimAccount['secrets'],
  value: string | undefined,
): SimAccount | undefined {
  if (!value) return undefined
  for (const account of state.accounts.values()) {
    if (kinds.includes(account.kind) && account.secrets[field] === value) return account
  }
  return undefined
}

export function recordSend(state: SimState, send: RecordedSend): void {
  state.sends.push(send)
  for (const listener of state.sendListeners) listener()
}

const requestLogLimit = 10_000

export function recordRequest(state: SimState, request: RecordedRequest): void {
  state.requests.push(request)
  if (state.requests.length > requestLogLimit) state.requests.splice(0, state.requests.length - requestLogLimit)
}

export function waitForSends(
  state: SimState,
  count: number,
  timeoutMs = 5000,
  predicate: (send: RecordedSend) => boolean = () => true,
): Promise<RecordedSend[]> {
  const matching = () => state.sends.filter(predicate)
  return new Promise((resolve, reject) => {
    if (matching().length >= count) return resolve(matching())
    const listener = () => {
      if (matching().length < count) return
      cleanup()
      resolve(matching())
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`Expected ${count} sends within ${timeoutMs} ms, saw ${matching().length}`))
    }, timeoutMs)
    const cleanup = () => {
      clearTimeout(timer)
      state.sendListeners.delete(listener)
    }
    state.sendListeners.add(listener)
  })
}

/** Waits `ms`; false when the simulator closed meanwhile. */
export function sleep(state: SimState, ms: number): Promise<boolean> {
  const signal = state.shutdown.signal
  if (signal.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** Runs work after the current request, tracked so close() can wait for it. */
export function runInBackground(state: SimState, work: () => Promise<unknown>): void {
  const promise = work()
    .catch((error: unknown) => state.log.warn({ err: error }, 'simulator background work failed'))
    .finally(() => state.background.delete(promise))
  state.background.add(promise)
}

export interface RateWindow {
  limit: number
  remaining: number
  /** Epoch ms when the window resets. */
  resetAt: number
  isLimited: boolean
}

/** Counts one call in a fixed window, like the platforms' per-window limits. */
export function hitRateWindow(state: SimState, key: string, limit: number, windowMs: number, now = Date.now()): RateWindow {
  let window = state.rateWindows.get(key)
  if (!window || now - window.startedAt >= windowMs) {
    window = { startedAt: now, count: 0 }
    state.rateWindows.set(key, window)
  }
  window.count += 1
  return {
    limit,
    remaining: Math.max(0, limit - window.count),
    resetAt: window.startedAt + windowMs,
    isLimited: window.count > limit,
  }
}
