import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/src/app.js'
import type { AppContext } from '../../server/src/context.js'

/** The real app, not listening: requests go through app.inject. */
export async function buildTestApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = await buildApp(ctx)
  await app.ready()
  return app
}
