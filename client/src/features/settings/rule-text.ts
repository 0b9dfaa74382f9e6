import { channelKindNames, ruleTriggerLabels, sentimentLabelNames, type AutomationRule, type RuleAction, type RuleConditions } from '@carebox/shared'
import { priorityLabels } from '../../components/priorityLabels'
import { longDuration } from './duration-text'

export const conversationKindLabels: Record<'dm' | 'public', string> = { dm: 'Direct messages', public: 'Public comments and mentions' }

export const notifyLabels: Record<'assignee' | 'leads' | 'team', string> = {
  assignee: 'The assignee',
  leads: 'The team’s leads',
  team: 'Everyone in the team',
}

/** When the rule runs; a timed trigger's label ends in "…", which the wait completes. */
export function ruleTriggerText(rule: Pick<AutomationRule, 'trigger' | 'afterMinutes'>): string {
  const label = ruleTriggerLabels[rule.trigger]
  if (rule.afterMinutes === null) return label
  const wait = longDuration(rule.afterMinutes)
  return label.endsWith('…') ? `${label.slice(0, -1)} ${wait}` : `${label}, after ${wait}`
}

/** Which conversations the rule acts on, in a line. */
export function ruleConditionsText(conditions: RuleConditions): string {
  const parts = [
    conditions.keywords?.length && `Words: ${conditions.keywords.map((k) => `“${k}”`).join(', ')}`,
    conditions.vip && 'VIP customer',
    conditions.conversationKinds?.length && conditions.conversationKinds.map((k) => conversationKindLabels[k]).join(', '),
    conditions.channelKinds?.length && `Channels: ${conditions.channelKinds.map((k) => channelKindNames[k]).join(', ')}`,
    conditions.languages?.length && `Languages: ${conditions.languages.join(', ')}`,
    conditions.priorities?.length && `Priorities: ${conditions.priorities.map((p) => priorityLabels[p]).join(', ')}`,
    conditions.tags?.length && `Tags: ${conditions.tags.join(', ')}`,
    conditions.minFollowers !== undefined && `At least ${conditions.minFollowers.toLocaleString()} followers`,
    conditions.sentiments?.length && `Sentiment: ${conditions.sentiments.map((s) => sentimentLabelNames[s].toLowerCase()).join(' or ')}`,
  ].filter(Boolean)
  return parts.length > 0 ? parts.join(' · ') : 'Every conversation'
}

export function ruleActionText(action: RuleAction): string {
  switch (action.type) {
    case 'set_priority':
      return `Set priority to ${priorityLabels[action.priority]}`
    case 'add_tag':
      return `Add tag ${action.tag}`
    case 'notify':
      return `Notify ${notifyLabels[action.who].charAt(0).toLowerCase()}${notifyLabels[action.who].slice(1)}`
    case 'unassign':
      return 'Back to the team queue'
    case 'add_note':
      return `Add a private note: “${action.text}”`
    case 'resolve':
      return 'Resolve'
    case 'record_outcome':
      return action.outcome.kind === 'purchase' ? `Record a purchase of ${action.outcome.value.toFixed(2)} ${action.outcome.currency}` : 'Record a lead'
  }
}
