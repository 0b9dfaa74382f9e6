import { priorities, slaTargetKindLabels, slaTargetKinds, type Priority, type SlaGoal, type SlaTargetKind, type SlaTargets } from '@carebox/shared'
import { priorityLabels } from '../../components/priorityLabels'

/** The most urgent first, as a lead reads a targets table. */
export const prioritiesByUrgency: readonly Priority[] = [...priorities].reverse()

export const maxGoalMinutes = 525_600

/** One cell of the targets table as typed: minutes as text (empty: no target). */
export interface GoalField {
  minutes: string
  businessHours: boolean
}
export type TargetsForm = Record<Priority, Record<SlaTargetKind, GoalField>>

export function targetsFormOf(targets: SlaTargets): TargetsForm {
  const rowOf = (priority: Priority) =>
    Object.fromEntries(
      slaTargetKinds.map((kind) => {
        const goal = targets[priority]?.[kind]
        return [kind, { minutes: goal ? String(goal.minutes) : '', businessHours: goal?.businessHours ?? false }]
      }),
    ) as Record<SlaTargetKind, GoalField>
  return Object.fromEntries(priorities.map((p) => [p, rowOf(p)])) as TargetsForm
}

/** The minutes a cell holds, null when empty, or undefined when it holds something else. */
export function goalMinutes(field: GoalField): number | null | undefined {
  const text = field.minutes.trim()
  if (text === '') return null
  const minutes = Number(text)
  return /^\d+$/.test(text) && minutes >= 1 && minutes <= maxGoalMinutes ? minutes : undefined
}

/** The targets to send; priorities and kinds without a target are left out, as the contract means "none". */
export function targetsOf(form: TargetsForm): { targets: SlaTargets } | { error: string } {
  const targets: SlaTargets = {}
  for (const priority of prioritiesByUrgency) {
    const goals: Partial<Record<SlaTargetKind, SlaGoal>> = {}
    for (const kind of slaTargetKinds) {
      const field = form[priority][kind]
      const minutes = goalMinutes(field)
      if (minutes === undefined) {
        return { error: `${priorityLabels[priority]}, ${slaTargetKindLabels[kind]}: enter whole minutes from 1 to ${maxGoalMinutes}, or leave it empty.` }
      }
      if (minutes !== null) goals[kind] = { minutes, businessHours: field.businessHours }
    }
    if (Object.keys(goals).length > 0) targets[priority] = goals
  }
  return { targets }
}
