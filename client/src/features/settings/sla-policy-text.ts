import { slaTargetKindLabels, slaTargetKinds, type Channel, type SlaConditions, type SlaTargets, type Team } from '@carebox/shared'
import { priorityLabels } from '../../components/priorityLabels'
import { shortDuration } from './duration-text'
import { prioritiesByUrgency } from './sla-targets'
import { teamNames } from './teamNames'

function channelNames(ids: readonly string[], channels: readonly Channel[] | null): string {
  return ids.map((id) => channels?.find((c) => c.id === id)?.name ?? 'a removed channel').join(', ')
}

/** Which conversations a policy covers, in a line. */
export function slaConditionsText(conditions: SlaConditions, channels: readonly Channel[] | null, teams: readonly Team[] | null): string {
  const parts = [
    conditions.channelIds?.length && `Channels: ${channelNames(conditions.channelIds, channels)}`,
    conditions.teamIds?.length && `Teams: ${teamNames(conditions.teamIds, teams)}`,
    conditions.priorities?.length && `Priorities: ${conditions.priorities.map((p) => priorityLabels[p]).join(', ')}`,
    conditions.tags?.length && `Tags: ${conditions.tags.join(', ')}`,
  ].filter(Boolean)
  return parts.length > 0 ? parts.join(' · ') : 'Every conversation'
}

/** One line per priority that has a target: "Urgent: First response 15 m, Resolution 4 h (business hours)". */
export function slaTargetsLines(targets: SlaTargets): string[] {
  return prioritiesByUrgency.flatMap((priority) => {
    const goals = slaTargetKinds.flatMap((kind) => {
      const goal = targets[priority]?.[kind]
      return goal ? [`${slaTargetKindLabels[kind]} ${shortDuration(goal.minutes)}${goal.businessHours ? ' (business hours)' : ''}`] : []
    })
    return goals.length > 0 ? [`${priorityLabels[priority]}: ${goals.join(', ')}`] : []
  })
}
