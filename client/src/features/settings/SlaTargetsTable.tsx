import { slaTargetKindDefinitions, slaTargetKindLabels, slaTargetKinds, type Priority, type SlaTargetKind } from '@carebox/shared'
import { useId } from 'react'
import { priorityLabels } from '../../components/priorityLabels'
import { prioritiesByUrgency, type GoalField, type TargetsForm } from './sla-targets'
import { SlaGoalCell } from './SlaGoalCell'

/** Minutes per priority and kind of target; each kind's definition is shown as the spec words it. */
export function SlaTargetsTable({ form, onChange }: { form: TargetsForm; onChange: (form: TargetsForm) => void }) {
  const ids = useId()
  const definitionId = (kind: SlaTargetKind) => `${ids}-${kind}`
  const change = (priority: Priority, kind: SlaTargetKind, field: GoalField) => onChange({ ...form, [priority]: { ...form[priority], [kind]: field } })

  return (
    <div className="sla-targets">
      <div className="table-wrap">
        <table className="data-table sla-targets-table" aria-label="Targets">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              {slaTargetKinds.map((kind) => (
                <th key={kind} scope="col" title={slaTargetKindDefinitions[kind]}>
                  {slaTargetKindLabels[kind]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {prioritiesByUrgency.map((priority) => (
              <tr key={priority}>
                <th scope="row">{priorityLabels[priority]}</th>
                {slaTargetKinds.map((kind) => (
                  <td key={kind}>
                    <SlaGoalCell
                      field={form[priority][kind]}
                      label={`${priorityLabels[priority]} ${slaTargetKindLabels[kind].toLowerCase()}`}
                      describedBy={definitionId(kind)}
                      onChange={(field) => change(priority, kind, field)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted sla-targets-note">
        An empty box sets no target. Business hours count only while the conversation’s team is open, in its time zone, skipping its holidays.
      </p>
      <dl className="sla-definitions" aria-label="How each target is measured">
        {slaTargetKinds.map((kind) => (
          <div key={kind}>
            <dt>{slaTargetKindLabels[kind]}</dt>
            <dd id={definitionId(kind)}>{slaTargetKindDefinitions[kind]}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}
