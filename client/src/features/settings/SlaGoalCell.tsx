import { useId } from 'react'
import { minutesHint } from './duration-text'
import { goalMinutes, maxGoalMinutes, type GoalField } from './sla-targets'

/** One target: its minutes (with the same in hours underneath) and whether business hours count. */
export function SlaGoalCell({
  field,
  label,
  describedBy,
  onChange,
}: {
  field: GoalField
  label: string
  describedBy: string
  onChange: (field: GoalField) => void
}) {
  const hintId = useId()
  const minutes = goalMinutes(field)
  return (
    <div className="sla-goal">
      <input
        type="number"
        inputMode="numeric"
        min={1}
        max={maxGoalMinutes}
        step={1}
        value={field.minutes}
        onChange={(e) => onChange({ ...field, minutes: e.target.value })}
        aria-label={`${label}, minutes`}
        aria-invalid={minutes === undefined}
        aria-describedby={`${hintId} ${describedBy}`}
      />
      <span id={hintId} className={minutes === undefined ? 'error sla-goal-hint' : 'muted sla-goal-hint'}>
        {minutes === null ? 'No target' : minutes === undefined ? 'Whole minutes' : minutesHint(minutes)}
      </span>
      <label className="sla-goal-hours">
        <input
          type="checkbox"
          checked={field.businessHours}
          disabled={minutes === null}
          onChange={(e) => onChange({ ...field, businessHours: e.target.checked })}
          aria-label={`${label}, in business hours`}
        />
        Business hours
      </label>
    </div>
  )
}
