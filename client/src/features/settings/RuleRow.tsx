import type { AutomationRule } from '@carebox/shared'
import { useState } from 'react'
import { ConfirmButton } from '../../components/ConfirmButton'
import { useStore } from '../../store/store'
import { ruleActionText, ruleConditionsText, ruleTriggerText } from './rule-text'
import { RuleForm } from './RuleForm'

const columnCount = 7

export function RuleRow({ rule }: { rule: AutomationRule }) {
  const teamName = useStore((s) => (rule.teamId === null ? 'All teams' : (s.teams?.find((t) => t.id === rule.teamId)?.name ?? '—')))
  const update = useStore((s) => s.updateRule)
  const remove = useStore((s) => s.removeRule)
  const [isEditing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)

  return (
    <>
      <tr aria-label={rule.name} className={rule.enabled ? undefined : 'inactive'}>
        <td>
          <strong>{rule.name}</strong>
        </td>
        <td>{teamName}</td>
        <td>{ruleTriggerText(rule)}</td>
        <td className="rule-conditions">{ruleConditionsText(rule.conditions)}</td>
        <td>
          <ol className="rule-action-lines">
            {rule.actions.map((action, index) => (
              <li key={index}>{ruleActionText(action)}</li>
            ))}
          </ol>
        </td>
        <td>
          <span className={rule.enabled ? 'pill pill-on' : 'pill'}>{rule.enabled ? 'Enabled' : 'Disabled'}</span>
        </td>
        <td>
          <div className="row-actions">
            <button type="button" onClick={() => void update(rule.id, { enabled: !rule.enabled }).then(setError)}>
              {rule.enabled ? 'Disable' : 'Enable'}
            </button>
            <button type="button" onClick={() => setEditing(!isEditing)}>
              {isEditing ? 'Close' : 'Edit'}
            </button>
            <ConfirmButton
              label="Delete"
              question={`Delete the rule ${rule.name}?`}
              confirmLabel="Yes, delete"
              onConfirm={() => void remove(rule.id).then(setError)}
            />
          </div>
        </td>
      </tr>
      {(isEditing || error) && (
        <tr className="detail-row">
          <td colSpan={columnCount}>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
            {isEditing && <RuleForm rule={rule} onDone={() => setEditing(false)} />}
          </td>
        </tr>
      )}
    </>
  )
}
