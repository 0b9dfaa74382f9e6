import pg from 'pg'
import type { AppContext } from '../context.js'
import { pruneChanges, recordHead } from './change-cursors.repository.js'
import { changesChannel } from './changes.repository.js'
import { consumeStep, newProgress, type ConsumerProgress } from './consume-step.js'
import type { ChangeConsumer } from './consumer.js'

export interface ChangeRunner {
  /** Whether this process holds the lock that lets it run the consumers. */
  isLeader(): boolean
  stop(): Promise<void>
}

/** Only one process runs the consumers at a time: the one holding this session lock. */
const leaderLockKey = 'carebox.changes'
const retryLeadershipMs = 2000
/** An idle consumer looks again this often even if no notification came (one lost in a reconnect, say). */
const idlePollMs = 1000
const pruneEveryMs = 10 * 60_000

/**
 * Runs the consumers of the record of changes in this process while it is the leader. Leadership is a session
 * advisory lock on a connection of its own, which also LISTENs for commits: if this process dies or loses its
 * database, the lock goes with the connection and another process takes over within seconds.
 */
export function startChangeRunner(ctx: AppContext, url: string, consumers: ChangeConsumer[]): ChangeRunner {
  const log = ctx.log.child({ component: 'changes' })
  let stopped = false
  let leader = false
  let client: pg.Client | undefined
  let wake: (() => void)[] = []
  const wakeAll = () => {
    const waiting = wake
    wake = []
    for (const resolve of waiting) resolve()
  }
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      wake.push(done)
    })
  const loops: Promise<void>[] = []

  async function runConsumer(consumer: ChangeConsumer, progress: ConsumerProgress): Promise<void> {
    while (!stopped && leader) {
      const result = await consumeStep(ctx, consumer, progress).catch((error: Error) => ({ kind: 'failed' as const, attempts: 0, error }))
      if (result.kind === 'done') continue
      if (result.kind === 'idle') {
        await sleep(idlePollMs)
        continue
      }
      if (result.attempts > 0) log.warn({ consumer: consumer.name, attempts: result.attempts, err: result.error }, 'a consumer failed on a change; retrying')
      else log.debug({ consumer: consumer.name, err: result.error }, 'a consumer batch failed; retrying its changes one by one')
      // Backs off on repeated failures, without waiting for a notification to come.
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 100 * 2 ** result.attempts)))
    }
  }

  async function lead(): Promise<void> {
    log.info({ consumers: consumers.map((c) => c.name) }, 'this process now runs the consumers of changes')
    for (const consumer of consumers) loops.push(runConsumer(consumer, newProgress()))
    let lastPrune = 0
    while (!stopped && leader) {
      if (Date.now() - lastPrune > pruneEveryMs) {
        lastPrune = Date.now()
        const pruned = await pruneChanges(ctx.db, ctx.config.changeRetentionDays).catch((error: unknown) => {
          log.debug({ err: error }, 'pruning old changes failed')
          return 0
        })
        if (pruned > 0) log.info({ pruned }, 'old changes pruned')
      }
      await sleep(pruneEveryMs)
    }
  }

  async function connect(): Promise<boolean> {
    const next = new pg.Client({ connectionString: url, application_name: 'carebox-changes' })
    next.on('error', () => {})
    next.on('notification', wakeAll)
    next.on('end', () => {
      if (client !== next) return
      client = undefined
      if (leader) log.warn('lost the connection that holds the consumers of changes; another process or a reconnect takes over')
      leader = false
      wakeAll()
    })
    await next.connect()
    const { rows } = await next.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [leaderLockKey])
    if (!rows[0]?.locked) {
      await next.end().catch(() => {})
      return false
    }
    await next.query(`listen ${changesChannel}`)
    client = next
    leader = true
    return true
  }

  const main = (async () => {
    while (!stopped) {
      if (!leader) {
        const won = await connect().catch((error: unknown) => {
          log.debug({ err: error }, 'could not try for the consumers of changes')
          return false
        })
        if (won) {
          await lead()
          await Promise.all(loops.splice(0))
          continue
        }
      }
      await new Promise((resolve) => setTimeout(resolve, retryLeadershipMs))
    }
  })()

  return {
    isLeader: () => leader,
    async stop() {
      stopped = true
      wakeAll()
      await main
      await Promise.all(loops.splice(0))
      const last = client
      client = undefined
      leader = false
      await last?.end().catch(() => {})
    },
  }
}

const drained = new WeakMap<AppContext, Map<string, ConsumerProgress>>()
const drainedHead = new WeakMap<AppContext, Map<string, string>>()

/**
 * Runs the consumers in this process until none has anything left: for tests and one-off commands, where no
 * runner is started. Consumers go in the given order, again and again, since one's effects are another's input.
 */
export async function drainChanges(ctx: AppContext, consumers: ChangeConsumer[], options: { maxRounds?: number } = {}): Promise<number> {
  // Kept per context, as a running process keeps it: what the fast path published is not published again.
  const progress = drained.get(ctx) ?? new Map<string, ConsumerProgress>()
  drained.set(ctx, progress)
  for (const consumer of consumers) if (!progress.has(consumer.name)) progress.set(consumer.name, newProgress())
  // Nothing recorded since the last drain of the same consumers ended idle: nothing to do (a test's reads, mostly).
  const key = consumers.map((c) => c.name).join(',')
  const heads = drainedHead.get(ctx) ?? new Map<string, string>()
  drainedHead.set(ctx, heads)
  const head = await recordHead(ctx.db)
  if (head === heads.get(key) && consumers.every((c) => progress.get(c.name)!.failing.size === 0 && progress.get(c.name)!.published.size === 0)) return 0
  let total = 0
  for (let round = 0; round < (options.maxRounds ?? 1000); round++) {
    // Taken before the round: whatever commits during it is looked at by the next drain.
    const roundHead = round === 0 ? head : await recordHead(ctx.db)
    let moved = 0
    for (const consumer of consumers) {
      for (;;) {
        const result = await consumeStep(ctx, consumer, progress.get(consumer.name)!)
        if (result.kind === 'idle') break
        if (result.kind === 'done') moved += result.count
        // A failure is retried at once here, until it is parked.
        else moved += 1
      }
    }
    total += moved
    if (moved === 0) {
      heads.set(key, roundHead)
      return total
    }
  }
  throw new Error('changes kept producing changes')
}
