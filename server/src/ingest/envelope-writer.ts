import type { Database } from '../db/client.js'
import { storeEnvelopes, type Envelope } from './inbound-events.repository.js'

/**
 * Stores and applies a batch of webhook envelopes: either all of it commits or none of it. False: it did nothing,
 * and the batch is to be stored for the ingest job instead.
 */
export type ApplyBatch = (envelopes: Envelope[]) => Promise<boolean>

/**
 * Group commit for webhook deliveries. Each request still answers only after its envelopes are committed, but
 * requests arriving while a write is in flight are written together in the next transaction: at low load a
 * delivery is written alone and at once; under load, one commit carries many deliveries.
 *
 * `apply` is the fast path, storing and applying a batch at once. If it fails, the batch is stored for the ingest
 * job instead (envelope and job, one statement), which retries and dead-letters what keeps failing; if that
 * fails too, each delivery is stored alone, so one bad delivery never fails the others written with it.
 */
export class EnvelopeWriter {
  private queue: { envelopes: Envelope[]; done: (error?: unknown) => void }[] = []
  private inFlight = 0
  private whenIdle: (() => void)[] = []

  constructor(
    private readonly db: Database,
    private readonly apply: ApplyBatch | undefined,
    /** Concurrent transactions; more than one keeps the database busy while the next batch gathers. */
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  write(envelopes: Envelope[]): Promise<void> {
    if (envelopes.length === 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.queue.push({ envelopes, done: (error) => (error ? reject(error) : resolve()) })
      this.flush()
    })
  }

  /**
   * Resolves once every delivery handed in so far is written (or failed). A request whose caller hung up still runs
   * to its end: closing waits for it, before the pool under it closes.
   */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.whenIdle.push(resolve))
  }

  private store(envelopes: Envelope[]): Promise<void> {
    return storeEnvelopes(this.db, 'webhook', envelopes).then(() => undefined)
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch: typeof this.queue = []
      let size = 0
      while (this.queue.length > 0 && size < this.maxBatch) {
        const next = this.queue.shift() as (typeof this.queue)[number]
        batch.push(next)
        size += next.envelopes.length
      }
      this.inFlight++
      const envelopes = batch.flatMap((b) => b.envelopes)
      const first = this.apply
        ? this.apply(envelopes).then(
            (applied) => (applied ? undefined : this.store(envelopes)),
            () => this.store(envelopes),
          )
        : this.store(envelopes)
      first
        .then(
          () => batch.forEach((b) => b.done()),
          () =>
            Promise.all(
              batch.map((b) =>
                this.store(b.envelopes).then(
                  () => b.done(),
                  (error: unknown) => b.done(error),
                ),
              ),
            ),
        )
        .finally(() => {
          this.inFlight--
          this.flush()
          if (this.inFlight === 0 && this.queue.length === 0) for (const resolve of this.whenIdle.splice(0)) resolve()
        })
    }
  }
}
