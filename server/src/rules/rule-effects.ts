import { recordConversationsUpdated, recordMessageChanges, recordNotifications, type Actor } from '../changes/changes.repository.js'
import type { Database } from '../db/client.js'
import type { RuleEffects } from './run-rules.js'

/**
 * Records what rules, routing or a timer did, in their transaction: the events they wrote into conversations,
 * the conversations they changed, the people to notify. The consumers follow from there.
 */
export async function recordRuleEffects(trx: Database, effects: RuleEffects, actor: Actor, alsoChanged: Iterable<string> = []): Promise<void> {
  await recordMessageChanges(trx, 'message.created', effects.eventIds, actor)
  await recordConversationsUpdated(trx, [...effects.changed, ...alsoChanged], ['state'], actor)
  await recordNotifications(trx, effects.notifications)
}
