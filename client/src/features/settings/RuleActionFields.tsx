import { outcomeKindLabels, outcomeKinds, priorities, type Priority, type RuleAction } from '@carebox/shared'
import { priorityLabels } from '../../components/priorityLabels'
import { notifyLabels } from './rule-text'

type Who = keyof typeof notifyLabels

/** The fields an action of its type needs; none for unassign and resolve. */
export function RuleActionFields({ action, onChange }: { action: RuleAction; onChange: (action: RuleAction) => void }) {
  switch (action.type) {
    case 'set_priority':
      return (
        <label>
          Priority
          <select value={action.priority} onChange={(e) => onChange({ ...action, priority: e.target.value as Priority })}>
            {priorities.map((p) => (
              <option key={p} value={p}>
                {priorityLabels[p]}
              </option>
            ))}
          </select>
        </label>
      )
    case 'add_tag':
      return (
        <label>
          Tag
          <input value={action.tag} onChange={(e) => onChange({ ...action, tag: e.target.value })} required maxLength={40} placeholder="refund" />
        </label>
      )
    case 'notify':
      return (
        <label>
          Who
          <select value={action.who} onChange={(e) => onChange({ ...action, who: e.target.value as Who })}>
            {(Object.keys(notifyLabels) as Who[]).map((who) => (
              <option key={who} value={who}>
                {notifyLabels[who]}
              </option>
            ))}
          </select>
        </label>
      )
    case 'add_note':
      return (
        <label className="rule-action-note">
          Note
          <textarea value={action.text} onChange={(e) => onChange({ ...action, text: e.target.value })} required maxLength={2000} rows={2} />
        </label>
      )
    case 'unassign':
    case 'resolve':
      return null
    case 'record_outcome':
      return <OutcomeFields outcome={action.outcome} onChange={(outcome) => onChange({ ...action, outcome })} />
  }
}

type Outcome = Extract<RuleAction, { type: 'record_outcome' }>['outcome']

/** A lead, or a purchase with its value and currency (what Meta's Conversions API is sent). */
function OutcomeFields({ outcome, onChange }: { outcome: Outcome; onChange: (outcome: Outcome) => void }) {
  return (
    <>
      <label>
        Outcome
        <select
          value={outcome.kind}
          onChange={(e) => onChange(e.target.value === 'purchase' ? { kind: 'purchase', value: 1, currency: 'EUR' } : { kind: 'lead' })}
        >
          {outcomeKinds.map((kind) => (
            <option key={kind} value={kind}>
              {outcomeKindLabels[kind]}
            </option>
          ))}
        </select>
      </label>
      {outcome.kind === 'purchase' && (
        <>
          <label>
            Value
            <input
              type="number"
              min={0.01}
              step={0.01}
              required
              value={outcome.value}
              onChange={(e) => onChange({ ...outcome, value: Number(e.target.value) })}
            />
          </label>
          <label>
            Currency
            <input
              value={outcome.currency}
              required
              pattern="[A-Z]{3}"
              maxLength={3}
              placeholder="EUR"
              onChange={(e) => onChange({ ...outcome, currency: e.target.value.toUpperCase() })}
            />
          </label>
        </>
      )}
    </>
  )
}
