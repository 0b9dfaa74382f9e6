import pg from 'pg'
import type { AppContext } from '../context.js'
import { pruneChanges, recordHead } from './change-cursors.repository.js'
import { changesChannel } from './changes.repository.js'
import { consumeStep, newProgress, type ConsumerProgress } from './consume-step.js'
import type { ChangeConsumer } from './consumer.js'

export interface ChangeRunner {
  /** The consumers this process runs right now (it holds their locks). */
  running(): string[]
  stop(): Promise<void>
}

/** Each consumer runs in one process at a time: the one holding its session lock. Pruning has a lock of its own. */
const lockKey = (name: string) => `carebox.changes.${name}`
const retryLocksMs = 2000
/** An idle consumer looks again this often even if no notification came (one lost in a reconnect, say). */
const idlePollMs = 1000
const pruneEveryMs = 10 * 60_000

/**
 * Runs the consumers of the record of changes that this process can take. Each consumer's lock is a session
 * advisory lock on a connection of the runner's own, which also LISTENs for commits: if this process dies or
 * loses its database, its locks go with the connection and another process takes the consumers over within
 * seconds. Processes may offer different consumers (a standalone worker without sockets does not offer the
 * console's), and each consumer runs wherever its lock is held.
 */
export function startChangeRunner(ctx: AppContext, url: string, consumers: ChangeConsumer[]): ChangeRunner {
  const log = ctx.log.child({ component: 'changes' })
  let stopped = false
  let client: pg.Client | undefined
  const held = new Map<string, Promise<void>>()
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
  const connected = (c: pg.Client) => !stopped && client === c
  let stop: () => void = () => {}
  const stopping = new Promise<void>((resolve) => (stop = resolve))

  async function runConsumer(c: pg.Client, consumer: ChangeConsumer): Promise<void> {
    const progress = newProgress()
    while (connected(c)) {
      const result = await consumeStep(ctx, consumer, progress).catch((error: Error) => ({ kind: 'failed' as const, attempts: 0, error }))
      if (result.kind === 'done') continue
      if (result.kind === 'idle') {
        await sleep(idlePollMs)
        if (consumer.gatherMs > 0 && connected(c)) await new Promise((resolve) => setTimeout(resolve, consumer.gatherMs))
        continue
      }
      if (result.attempts > 0) log.warn({ consumer: consumer.name, attempts: result.attempts, err: result.error }, 'a consumer failed on a change; retrying')
      else log.debug({ consumer: consumer.name, err: result.error }, 'a consumer batch failed; retrying its changes one by one')
      // Backs off on repeated failures, without waiting for a notification to come.
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 100 * 2 ** result.attempts)))
    }
  }

  async function prune(c: pg.Client): Promise<void> {
    while (connected(c)) {
      const pruned = await pruneChanges(ctx.db, ctx.config.changeRetentionDays).catch((error: unknown) => {
        log.debug({ err: error }, 'pruning old changes failed')
        return 0
      })
      if (pruned > 0) log.info({ pruned }, 'old changes pruned')
      const until = Date.now() + pruneEveryMs
      while (connected(c) && Date.now() < until) await sleep(until - Date.now())
    }
  }

  async function tryLock(c: pg.Client, name: string): Promise<boolean> {
    const { rows } = await c.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [lockKey(name)])
    return rows[0]?.locked === true
  }

  /** Takes the locks of the consumers nobody runs, and starts them here. */
  async function takeFree(c: pg.Client): Promise<void> {
    const taken: string[] = []
    for (const consumer of consumers) {
      if (held.has(consumer.name) || !(await tryLock(c, consumer.name))) continue
      held.set(consumer.name, runConsumer(c, consumer))
      taken.push(consumer.name)
    }
    if (!held.has('prune') && (await tryLock(c, 'prune'))) held.set('prune', prune(c))
    if (taken.length > 0) log.info({ consumers: taken }, 'this process now runs consumers of changes')
  }

  async function connect(): Promise<pg.Client> {
    const next = new pg.Client({ connectionString: url, application_name: 'carebox-changes' })
    next.on('error', () => {})
    next.on('notification', wakeAll)
    next.on('end', () => {
      if (client !== next) return
      client = undefined
      if (held.size > 0 && !stopped) log.warn('lost the connection that holds the consumers of changes; they resume here or elsewhere')
      wakeAll()
    })
    await next.connect()
    await next.query(`listen ${changesChannel}`)
    return next
  }

  const main = (async () => {
    while (!stopped) {
      try {
        if (!client) {
          // The loops of a lost connection end on their own; their locks went with it.
          await Promise.all(held.values())
          held.clear()
          client = await connect()
        }
        if (held.size < consumers.length + 1) await takeFree(client)
      } catch (error) {
        log.debug({ err: error }, 'could not take the consumers of changes; trying again')
      }
      await Promise.race([new Promise((resolve) => setTimeout(resolve, retryLocksMs).unref()), stopping])
    }
  })()

  return {
    running: () => [...held.keys()].filter((name) => name !== 'prune'),
    async stop() {
      stopped = true
      stop()
      wakeAll()
      await main
      await Promise.all(held.values())
      held.clear()
      const last = client
      client = undefined
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
