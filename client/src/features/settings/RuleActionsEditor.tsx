import { ruleActionLabels, type RuleAction } from '@carebox/shared'
import { RuleActionFields } from './RuleActionFields'

type ActionType = RuleAction['type']

/** The contract's bound on actions per rule. */
const maxRuleActions = 10

const actionTypes = Object.keys(ruleActionLabels) as ActionType[]

/** A fresh action of a type, with the choice a lead most often makes already picked. */
function newAction(type: ActionType): RuleAction {
  switch (type) {
    case 'set_priority':
      return { type, priority: 'high' }
    case 'add_tag':
      return { type, tag: '' }
    case 'notify':
      return { type, who: 'assignee' }
    case 'add_note':
      return { type, text: '' }
    case 'unassign':
    case 'resolve':
      return { type }
    case 'record_outcome':
      return { type, outcome: { kind: 'lead' } }
  }
}

/** What a rule does, in order: add, change and remove actions. */
export function RuleActionsEditor({ actions, onChange }: { actions: RuleAction[]; onChange: (actions: RuleAction[]) => void }) {
  const replace = (index: number, action: RuleAction) => onChange(actions.map((a, i) => (i === index ? action : a)))
  return (
    <fieldset className="rule-actions">
      <legend>Then</legend>
      {actions.length === 0 && <p className="muted">Add at least one action.</p>}
      <ol className="rule-action-list">
        {actions.map((action, index) => (
          // Every field is controlled by `actions`, so a position is enough of a key.
          <li key={index} className="rule-action" role="group" aria-label={`Action ${index + 1}`}>
            <label>
              Action
              <select value={action.type} onChange={(e) => replace(index, newAction(e.target.value as ActionType))}>
                {actionTypes.map((type) => (
                  <option key={type} value={type}>
                    {ruleActionLabels[type]}
                  </option>
                ))}
              </select>
            </label>
            <RuleActionFields action={action} onChange={(next) => replace(index, next)} />
            <button type="button" aria-label={`Remove action ${index + 1}`} onClick={() => onChange(actions.filter((_, i) => i !== index))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      {actions.length < maxRuleActions && (
        <button type="button" className="rule-action-add" onClick={() => onChange([...actions, newAction('set_priority')])}>
          Add an action
        </button>
      )}
    </fieldset>
  )
}
