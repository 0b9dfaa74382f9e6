import type { ChangeConsumer } from '../changes/consumer.js'
import { assignmentConsumer } from './assignment.consumer.js'
import { consoleConsumer } from './console.consumer.js'
import { rollupsConsumer } from './rollups.consumer.js'
import { rulesConsumer } from './rules.consumer.js'
import { slaConsumer } from './sla.consumer.js'
import { streamConsumer } from './stream.consumer.js'
import { surgesConsumer } from './surges.consumer.js'
import { surveysConsumer } from './surveys.consumer.js'
import { webhooksConsumer } from './webhooks.consumer.js'

/**
 * Everything that follows a change, in one list. Each has its own cursor; the order matters only where a process
 * drains them one after another (tests, one-off commands): rules first, since what they change the SLA follows.
 */
export const changeConsumers: readonly ChangeConsumer[] = [
  consoleConsumer,
  rulesConsumer,
  slaConsumer,
  assignmentConsumer,
  rollupsConsumer,
  surgesConsumer,
  surveysConsumer,
  webhooksConsumer,
  streamConsumer,
]

/** The consumers a process runs, by CAREBOX_CHANGE_CONSUMERS. */
export function selectConsumers(names: 'all' | string[]): ChangeConsumer[] {
  if (names === 'all') return [...changeConsumers]
  const unknown = names.filter((n) => !changeConsumers.some((c) => c.name === n))
  if (unknown.length > 0)
    throw new Error(`CAREBOX_CHANGE_CONSUMERS names unknown consumers: ${unknown.join(', ')} (known: ${changeConsumers.map((c) => c.name).join(', ')})`)
  return changeConsumers.filter((c) => names.includes(c.name))
}
