import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/src/app.js'
import type { AppContext } from '../../server/src/context.js'
import { drainAllChanges } from './queue.js'

/**
 * The real app, not listening: requests go through app.inject. No change runner runs in a test; instead, before
 * each response leaves (after the request's transaction committed), the consumers of changes catch up in this
 * process, as a running Carebox's would within milliseconds: a test reads what follows a change as soon as its
 * request answers. `followChanges: false` leaves that to the test (drainAllChanges), to see what comes before.
 */
export async function buildTestApp(ctx: AppContext, options: { followChanges?: boolean } = {}): Promise<FastifyInstance> {
  const app = await buildApp(ctx)
  if (options.followChanges !== false) {
    // A request whose caller went away (a simulator closed mid-delivery) still runs to its end: closing the app
    // waits for its catching up, which would otherwise run on a pool the test is already closing.
    const catchingUp = new Set<Promise<unknown>>()
    app.addHook('onSend', async (_request, _reply, payload) => {
      const drained = drainAllChanges(ctx)
      catchingUp.add(drained)
      try {
        await drained
      } finally {
        catchingUp.delete(drained)
      }
      return payload
    })
    app.addHook('onClose', async () => {
      await Promise.allSettled([...catchingUp])
    })
  }
  await app.ready()
  return app
}
