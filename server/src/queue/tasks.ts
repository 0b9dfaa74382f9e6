import type { TSchema, Static } from '@sinclair/typebox'
import type { AppContext } from '../context.js'

/**
 * A job definition: its name (`noun.verb`), payload schema and retry cap, kept apart from the handler
 * so enqueuers depend only on the definition. Payloads carry ids; the rows they point to are ours.
 */
export interface TaskDefinition<S extends TSchema = TSchema> {
  name: string
  payload: S
  /** graphile-worker's default of 25 attempts is days of retries; every task states its own cap. */
  maxAttempts: number
  /**
   * 'platform': the job waits on a platform's API (a send, a poll, a profile lookup) and runs in worker slots of
   * its own, so a platform that hangs or throttles never holds up inbound messages, timers or rules. Default 'core'.
   */
  capacity?: Capacity
}

export type Capacity = 'core' | 'platform'

export interface TaskHandler<S extends TSchema = TSchema> {
  definition: TaskDefinition<S>
  run(ctx: AppContext, payload: Static<S>, job: { attempts: number; maxAttempts: number }): Promise<void>
}

export function defineTask<S extends TSchema>(definition: TaskDefinition<S>): TaskDefinition<S> {
  return definition
}

export function defineHandler<S extends TSchema>(definition: TaskDefinition<S>, run: TaskHandler<S>['run']): TaskHandler<S> {
  return { definition, run }
}
