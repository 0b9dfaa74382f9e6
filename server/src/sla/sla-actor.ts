import type { Actor } from '../changes/changes.repository.js'

/** What the SLA machinery records (its consumer, its timers, a recomputation): the SLA consumer does not follow its own changes. */
export const slaActor = { type: 'system', id: 'sla' } as const satisfies Actor
