import pino from 'pino'
import { loadConfig, type Config } from '../../server/src/config.js'
import type { AppContext, Clock } from '../../server/src/context.js'
import { createMetrics } from '../../server/src/observability/metrics.js'
import { registerQueueMetrics } from '../../server/src/queue/queue.js'
import type { TestDatabase } from './database.js'

/** A clock the test moves by hand. */
export function createTestClock(start = new Date('2026-03-02T09:00:00Z')): Clock & { set(at: Date): void; advance(ms: number): void } {
  let now = start.getTime()
  return {
    now: () => new Date(now),
    set: (at) => (now = at.getTime()),
    advance: (ms) => (now += ms),
  }
}

export function createTestContext(database: TestDatabase, overrides: Partial<Config> = {}): AppContext {
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url }), ...overrides }
  const metrics = createMetrics()
  registerQueueMetrics(metrics, database.db)
  return {
    config,
    db: database.db,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    clock: createTestClock(),
    metrics,
    runtime: { startedAt: new Date(), databaseMode: 'external' },
  }
}
