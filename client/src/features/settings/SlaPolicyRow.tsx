import type { SlaPolicy } from '@carebox/shared'
import { useState } from 'react'
import { ConfirmButton } from '../../components/ConfirmButton'
import { useStore } from '../../store/store'
import { slaConditionsText, slaTargetsLines } from './sla-policy-text'
import { SlaPolicyForm } from './SlaPolicyForm'

const columnCount = 6

export function SlaPolicyRow({ policy, index, count }: { policy: SlaPolicy; index: number; count: number }) {
  const conditions = useStore((s) => slaConditionsText(policy.conditions, s.channels, s.teams))
  const move = useStore((s) => s.moveSlaPolicy)
  const update = useStore((s) => s.updateSlaPolicy)
  const remove = useStore((s) => s.removeSlaPolicy)
  const [isEditing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const targets = slaTargetsLines(policy.targets)

  return (
    <>
      <tr aria-label={policy.name} className={policy.enabled ? undefined : 'inactive'}>
        <td>{index + 1}</td>
        <td>
          <strong>{policy.name}</strong>
        </td>
        <td>{conditions}</td>
        <td>
          {targets.length === 0 ? (
            <span className="muted">No targets</span>
          ) : (
            <ul className="sla-target-lines">
              {targets.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </td>
        <td>
          <span className={policy.enabled ? 'pill pill-on' : 'pill'}>{policy.enabled ? 'Enabled' : 'Disabled'}</span>
        </td>
        <td>
          <div className="row-actions">
            <button type="button" aria-label={`Move ${policy.name} up`} disabled={index === 0} onClick={() => void move(policy.id, -1).then(setError)}>
              ↑
            </button>
            <button type="button" aria-label={`Move ${policy.name} down`} disabled={index === count - 1} onClick={() => void move(policy.id, 1).then(setError)}>
              ↓
            </button>
            <button type="button" onClick={() => void update(policy.id, { enabled: !policy.enabled }).then(setError)}>
              {policy.enabled ? 'Disable' : 'Enable'}
            </button>
            <button type="button" onClick={() => setEditing(!isEditing)}>
              {isEditing ? 'Close' : 'Edit'}
            </button>
            <ConfirmButton
              label="Delete"
              question={`Delete the policy ${policy.name}? Conversations it applied to are matched again.`}
              confirmLabel="Yes, delete"
              onConfirm={() => void remove(policy.id).then(setError)}
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
            {isEditing && <SlaPolicyForm policy={policy} onDone={() => setEditing(false)} />}
          </td>
        </tr>
      )}
    </>
  )
}
