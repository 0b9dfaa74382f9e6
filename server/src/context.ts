import type { ChangeRunner } from './changes/change-runner.js'
import type { Logger } from 'pino'
import type { Config } from './config.js'
import type { Database } from './db/client.js'
import type { FileStorage } from './files/storage.js'
import type { Metrics } from './observability/metrics.js'
import type { Worker } from './queue/queue.js'
import type { SecretBox } from './channels/secret-box.js'
import type { Realtime } from './realtime/realtime.js'
import type { HealthMonitor } from './system/health-monitor.js'

/** The time source. Services read time only from here, so tests can move it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** Everything a service needs, passed explicitly as the first argument. */
export interface AppContext {
  config: Readonly<Config>
  db: Database
  log: Logger
  clock: Clock
  metrics: Metrics
  secrets: SecretBox
  realtime: Realtime
  /** Files agents send (uploads), kept until their reply is gone. */
  files: FileStorage
  runtime: {
    startedAt: Date
    databaseMode: 'embedded' | 'external'
    /** Set when this process runs the job worker. */
    worker?: Worker
    /** Set when this process offers to run consumers of the record of changes (it runs those whose locks it holds). */
    changes?: ChangeRunner
    /** Set by a running server: its database and worker, watched. */
    health?: HealthMonitor
    /**
     * Origins attachments may be fetched from although they resolve to private or loopback addresses:
     * the demo's platform simulator, which runs on this machine. Empty otherwise.
     */
    mediaAllowOrigins: string[]
  }
}
