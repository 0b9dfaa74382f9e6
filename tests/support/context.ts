import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { loadConfig, type Config } from '../../server/src/config.js'
import type { AppContext, Clock } from '../../server/src/context.js'
import { createSecretBox } from '../../server/src/channels/secret-box.js'
import { createMetrics } from '../../server/src/observability/metrics.js'
import { silentRealtime } from '../../server/src/realtime/realtime.js'
import { registerQueueMetrics } from '../../server/src/queue/queue.js'
import { diskFileStorage } from '../../server/src/files/storage.js'
import type { TestDatabase } from './database.js'

/** A fixed key for tests: 32 bytes, base64. */
export const testSecretKey = Buffer.alloc(32, 7).toString('base64')

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
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url, CAREBOX_DEMO: 'off' }), ...overrides }
  const metrics = createMetrics()
  registerQueueMetrics(metrics, database.db)
  return {
    config,
    db: database.db,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    clock: createTestClock(),
    metrics,
    secrets: createSecretBox(testSecretKey),
    realtime: silentRealtime,
    // Each context its own directory under the system's temporary one: tests never write into the repository.
    files: diskFileStorage(mkdtempSync(path.join(os.tmpdir(), 'carebox-files-'))),
    runtime: { startedAt: new Date(), databaseMode: 'external', mediaAllowOrigins: [] },
  }
}
