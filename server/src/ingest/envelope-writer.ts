import type { Database } from '../db/client.js'
import { storeEnvelopes, type Envelope } from './inbound-events.repository.js'

/**
 * Group commit for webhook deliveries. Each request still answers only after its envelope and job are
 * committed, but requests arriving while a write is in flight are written together in the next statement:
 * at low load a delivery is written alone and at once; under load, one commit carries many deliveries.
 */
export class EnvelopeWriter {
  private queue: { envelopes: Envelope[]; done: (error?: unknown) => void }[] = []
  private inFlight = 0

  constructor(
    private readonly db: Database,
    /** Concurrent statements; more than one keeps the database busy while the next batch gathers. */
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
      storeEnvelopes(
        this.db,
        'webhook',
        batch.flatMap((b) => b.envelopes),
      )
        .then(
          () => batch.forEach((b) => b.done()),
          // One bad delivery must not fail the others written with it: retry each alone.
          () =>
            Promise.all(
              batch.map((b) =>
                storeEnvelopes(this.db, 'webhook', b.envelopes).then(
                  () => b.done(),
                  (error: unknown) => b.done(error),
                ),
              ),
            ),
        )
        .finally(() => {
          this.inFlight--
          this.flush()
        })
    }
  }
}
