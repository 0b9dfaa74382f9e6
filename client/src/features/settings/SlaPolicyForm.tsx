import type { Priority, SlaConditions, SlaPolicy } from '@carebox/shared'
import { useMemo } from 'react'
import { priorityLabels } from '../../components/priorityLabels'
import { TagsEditor } from '../../components/TagsEditor'
import type { SlaPolicyDraft } from '../../store/sla-policies.slice'
import { useStore } from '../../store/store'
import { useEditForm } from './useEditForm'
import { ChannelCheckboxes } from './ChannelCheckboxes'
import { ChoiceCheckboxes } from './ChoiceCheckboxes'
import { prioritiesByUrgency, targetsFormOf, targetsOf, type TargetsForm } from './sla-targets'
import { SlaTargetsTable } from './SlaTargetsTable'
import { TeamCheckboxes } from './TeamCheckboxes'
import { FormFooter } from './FormFooter'

interface PolicyFields {
  name: string
  enabled: boolean
  channelIds: string[]
  teamIds: string[]
  priorities: Priority[]
  tags: string[]
  targets: TargetsForm
}

function fieldsOf(policy: SlaPolicy | undefined): PolicyFields {
  const conditions = policy?.conditions ?? {}
  return {
    name: policy?.name ?? '',
    enabled: policy?.enabled ?? true,
    channelIds: conditions.channelIds ?? [],
    teamIds: conditions.teamIds ?? [],
    priorities: conditions.priorities ?? [],
    tags: conditions.tags ?? [],
    targets: targetsFormOf(policy?.targets ?? {}),
  }
}

/** The conditions to send: an empty list is left out, which the contract reads as "any". */
function conditionsOf(fields: PolicyFields): SlaConditions {
  return {
    ...(fields.channelIds.length > 0 && { channelIds: fields.channelIds }),
    ...(fields.teamIds.length > 0 && { teamIds: fields.teamIds }),
    ...(fields.priorities.length > 0 && { priorities: fields.priorities }),
    ...(fields.tags.length > 0 && { tags: fields.tags }),
  }
}

function draftOf(fields: PolicyFields): SlaPolicyDraft | { error: string } {
  const targets = targetsOf(fields.targets)
  if ('error' in targets) return targets
  return { name: fields.name.trim(), enabled: fields.enabled, conditions: conditionsOf(fields), targets: targets.targets }
}

const draftKeys = ['name', 'enabled', 'conditions', 'targets'] as const

/** Adds an SLA policy, or edits one. */
export function SlaPolicyForm({ policy, onDone }: { policy?: SlaPolicy; onDone: () => void }) {
  const create = useStore((s) => s.createSlaPolicy)
  const update = useStore((s) => s.updateSlaPolicy)
  const initial = useMemo(() => fieldsOf(policy), [policy])
  const { fields, set, error, isSaving, submit } = useEditForm({ initial, editingId: policy?.id, draftOf, keys: draftKeys, create, update, onDone })

  return (
    <form className="settings-form sla-form" onSubmit={(e) => void submit(e)} aria-label={policy ? `Edit ${policy.name}` : 'Add an SLA policy'}>
      <label>
        Name
        <input value={fields.name} onChange={(e) => set('name', e.target.value)} required maxLength={120} placeholder="VIP customers" />
      </label>
      <label className="sla-form-check">
        <input type="checkbox" checked={fields.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        Enabled
      </label>
      <fieldset className="sla-form-wide sla-conditions">
        <legend>Applies to conversations that match all of these (leave one empty to match any)</legend>
        <ChannelCheckboxes selected={fields.channelIds} onChange={(ids) => set('channelIds', ids)} />
        <TeamCheckboxes selected={fields.teamIds} onChange={(ids) => set('teamIds', ids)} />
        <ChoiceCheckboxes
          legend="Priorities"
          choices={prioritiesByUrgency}
          labels={priorityLabels}
          selected={fields.priorities}
          onChange={(p) => set('priorities', p)}
        />
        <div className="sla-tags">
          <span className="muted">Tags (any of them)</span>
          <TagsEditor tags={fields.tags} label="Tags" inputLabel="Add a tag" onChange={(tags) => set('tags', tags)} />
        </div>
      </fieldset>
      <div className="sla-form-wide">
        <SlaTargetsTable form={fields.targets} onChange={(targets) => set('targets', targets)} />
      </div>
      <FormFooter error={error} errorClassName="sla-form-wide" isSaving={isSaving} submitLabel={policy ? 'Save' : 'Add policy'} onCancel={onDone} />
    </form>
  )
}
