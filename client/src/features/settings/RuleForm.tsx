import {
  channelKindNames,
  channelKinds,
  personSentimentLabels,
  ruleTriggerLabels,
  sentimentLabelNames,
  ruleTriggers,
  timedTriggers,
  type AutomationRule,
  type ChannelKind,
  type PersonSentimentLabel,
  type Priority,
  type RuleAction,
  type RuleConditions,
  type RuleTrigger,
} from '@carebox/shared'
import { useId, useMemo } from 'react'
import { priorityLabels } from '../../components/priorityLabels'
import { normalizeTag, TagsEditor } from '../../components/TagsEditor'
import type { RuleDraft } from '../../store/rules.slice'
import { useStore } from '../../store/store'
import { TeamSelect } from './TeamSelect'
import { useEditForm } from './useEditForm'
import { ChoiceCheckboxes } from './ChoiceCheckboxes'
import { minutesHint } from './duration-text'
import { invalidLanguagesMessage, parseLanguages, parseLines } from './list-input'
import { conversationKindLabels } from './rule-text'
import { RuleActionsEditor } from './RuleActionsEditor'
import { prioritiesByUrgency } from './sla-targets'
import { FormFooter } from './FormFooter'

type ConversationKind = keyof typeof conversationKindLabels
type WaitUnit = 'minutes' | 'hours'

const conversationKinds = Object.keys(conversationKindLabels) as ConversationKind[]
const maxAfterMinutes = 525_600
const maxKeywordLength = 60
const maxKeywords = 100

interface RuleFields {
  teamId: string
  name: string
  enabled: boolean
  trigger: RuleTrigger
  after: string
  afterUnit: WaitUnit
  keywords: string
  vip: boolean
  conversationKinds: ConversationKind[]
  channelKinds: ChannelKind[]
  languages: string
  priorities: Priority[]
  tags: string[]
  minFollowers: string
  sentiments: PersonSentimentLabel[]
  actions: RuleAction[]
}

function fieldsOf(rule: AutomationRule | undefined): RuleFields {
  const conditions = rule?.conditions ?? {}
  const after = rule?.afterMinutes ?? null
  // A wait of whole hours is shown in hours, as it was most likely entered.
  const isHours = after !== null && after % 60 === 0
  return {
    teamId: rule?.teamId ?? '',
    name: rule?.name ?? '',
    enabled: rule?.enabled ?? true,
    trigger: rule?.trigger ?? 'message.received',
    after: after === null ? '' : String(isHours ? after / 60 : after),
    afterUnit: isHours ? 'hours' : 'minutes',
    keywords: (conditions.keywords ?? []).join('\n'),
    vip: conditions.vip ?? false,
    conversationKinds: conditions.conversationKinds ?? [],
    channelKinds: conditions.channelKinds ?? [],
    languages: (conditions.languages ?? []).join(', '),
    priorities: conditions.priorities ?? [],
    tags: conditions.tags ?? [],
    minFollowers: conditions.minFollowers === undefined ? '' : String(conditions.minFollowers),
    sentiments: conditions.sentiments ?? [],
    actions: rule?.actions ?? [{ type: 'set_priority', priority: 'high' }],
  }
}

/** The wait in minutes, null when the trigger takes none, or undefined when what was typed is not one. */
function afterMinutesOf(fields: RuleFields): number | null | undefined {
  if (!timedTriggers.includes(fields.trigger)) return null
  const amount = Number(fields.after)
  if (fields.after.trim() === '' || !Number.isFinite(amount)) return undefined
  const minutes = Math.round(fields.afterUnit === 'hours' ? amount * 60 : amount)
  return minutes >= 1 && minutes <= maxAfterMinutes ? minutes : undefined
}

function conditionsOf(fields: RuleFields): RuleConditions | { error: string } {
  // Words are kept as written, in any script: the server matches them case-insensitively.
  const keywords = parseLines(fields.keywords)
  const tooLong = keywords.find((k) => k.length > maxKeywordLength)
  if (tooLong) return { error: `A word or phrase is at most ${maxKeywordLength} characters: “${tooLong}”.` }
  if (keywords.length > maxKeywords) return { error: `At most ${maxKeywords} words or phrases.` }
  const { languages, invalid } = parseLanguages(fields.languages)
  if (invalid.length > 0) return { error: invalidLanguagesMessage(invalid) }
  const minFollowers = fields.minFollowers.trim()
  if (minFollowers !== '' && !/^\d+$/.test(minFollowers)) return { error: 'Followers: enter a whole number, or leave it empty.' }
  // A condition left empty is left out: the contract reads a missing one as "any".
  return {
    ...(keywords.length > 0 && { keywords }),
    ...(fields.vip && { vip: true }),
    ...(fields.conversationKinds.length > 0 && { conversationKinds: fields.conversationKinds }),
    ...(fields.channelKinds.length > 0 && { channelKinds: fields.channelKinds }),
    ...(languages.length > 0 && { languages }),
    ...(fields.priorities.length > 0 && { priorities: fields.priorities }),
    ...(fields.tags.length > 0 && { tags: fields.tags }),
    ...(minFollowers !== '' && { minFollowers: Number(minFollowers) }),
    ...(fields.sentiments.length > 0 && { sentiments: fields.sentiments }),
  }
}

function actionsOf(actions: RuleAction[]): RuleAction[] | { error: string } {
  if (actions.length === 0) return { error: 'Add at least one action.' }
  const cleaned: RuleAction[] = []
  for (const [index, action] of actions.entries()) {
    if (action.type === 'add_tag') {
      const tag = normalizeTag(action.tag)
      if (!tag) return { error: `Action ${index + 1}: enter the tag to add.` }
      cleaned.push({ ...action, tag })
    } else if (action.type === 'add_note') {
      if (!action.text.trim()) return { error: `Action ${index + 1}: write the note to add.` }
      cleaned.push(action)
    } else {
      cleaned.push(action)
    }
  }
  return cleaned
}

function draftOf(fields: RuleFields): RuleDraft | { error: string } {
  const afterMinutes = afterMinutesOf(fields)
  if (afterMinutes === undefined) return { error: `Enter how long to wait: from 1 minute to ${maxAfterMinutes / 60} hours.` }
  const conditions = conditionsOf(fields)
  if ('error' in conditions) return conditions
  const actions = actionsOf(fields.actions)
  if ('error' in actions) return actions
  return { teamId: fields.teamId || null, name: fields.name.trim(), enabled: fields.enabled, trigger: fields.trigger, afterMinutes, conditions, actions }
}

const draftKeys = ['teamId', 'name', 'enabled', 'trigger', 'afterMinutes', 'conditions', 'actions'] as const

/** Adds an automation rule, or edits one. */
export function RuleForm({ rule, onDone }: { rule?: AutomationRule; onDone: () => void }) {
  const create = useStore((s) => s.createRule)
  const update = useStore((s) => s.updateRule)
  const initial = useMemo(() => fieldsOf(rule), [rule])
  const { fields, set, error, isSaving, submit } = useEditForm({ initial, editingId: rule?.id, draftOf, keys: draftKeys, create, update, onDone })
  const ids = useId()
  const isTimed = timedTriggers.includes(fields.trigger)
  const afterMinutes = afterMinutesOf(fields)

  return (
    <form className="settings-form rule-form" onSubmit={(e) => void submit(e)} aria-label={rule ? `Edit ${rule.name}` : 'Add a rule'}>
      <label>
        Name
        <input value={fields.name} onChange={(e) => set('name', e.target.value)} required maxLength={120} placeholder="Refund requests are urgent" />
      </label>
      <TeamSelect value={fields.teamId} onChange={(teamId) => set('teamId', teamId)} anyLabel="All teams" savedTeamId={rule?.teamId} />
      <label className="rule-form-check">
        <input type="checkbox" checked={fields.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        Enabled
      </label>
      <fieldset className="rule-form-wide rule-section">
        <legend>When</legend>
        <label>
          Trigger
          <select value={fields.trigger} onChange={(e) => set('trigger', e.target.value as RuleTrigger)}>
            {ruleTriggers.map((trigger) => (
              <option key={trigger} value={trigger}>
                {ruleTriggerLabels[trigger]}
              </option>
            ))}
          </select>
        </label>
        {isTimed && (
          <div className="rule-after">
            <label>
              After
              <input
                type="number"
                min={0}
                step="any"
                value={fields.after}
                onChange={(e) => set('after', e.target.value)}
                required
                aria-invalid={fields.after !== '' && afterMinutes === undefined}
                aria-describedby={`${ids}-after`}
              />
            </label>
            <label>
              Unit
              <select value={fields.afterUnit} onChange={(e) => set('afterUnit', e.target.value as WaitUnit)}>
                <option value="minutes">minutes</option>
                <option value="hours">hours</option>
              </select>
            </label>
            <span id={`${ids}-after`} className="muted">
              {typeof afterMinutes === 'number' ? minutesHint(afterMinutes) : 'How long, before the rule runs'}
            </span>
          </div>
        )}
      </fieldset>
      <fieldset className="rule-form-wide rule-section">
        <legend>If all of these hold (leave one empty to match any)</legend>
        <div className="rule-keywords">
          <label htmlFor={`${ids}-keywords`}>Words or phrases</label>
          <textarea
            id={`${ids}-keywords`}
            value={fields.keywords}
            onChange={(e) => set('keywords', e.target.value)}
            rows={4}
            aria-describedby={`${ids}-keywords-help`}
          />
          <span id={`${ids}-keywords-help`} className="muted">
            One per line, in any language: the customer’s message contains any of them (case doesn’t matter).
          </span>
        </div>
        <label className="rule-form-check">
          <input type="checkbox" checked={fields.vip} onChange={(e) => set('vip', e.target.checked)} />
          The customer is tagged VIP
        </label>
        <ChoiceCheckboxes
          legend="The customer’s message reads as"
          choices={personSentimentLabels}
          labels={sentimentLabelNames}
          selected={fields.sentiments}
          onChange={(s) => set('sentiments', s)}
        />
        <ChoiceCheckboxes
          legend="Conversations"
          choices={conversationKinds}
          labels={conversationKindLabels}
          selected={fields.conversationKinds}
          onChange={(k) => set('conversationKinds', k)}
        />
        <ChoiceCheckboxes
          legend="Channel kinds"
          choices={channelKinds}
          labels={channelKindNames}
          selected={fields.channelKinds}
          onChange={(k) => set('channelKinds', k)}
        />
        <ChoiceCheckboxes
          legend="Priorities"
          choices={prioritiesByUrgency}
          labels={priorityLabels}
          selected={fields.priorities}
          onChange={(p) => set('priorities', p)}
        />
        <label>
          Languages
          <input value={fields.languages} onChange={(e) => set('languages', e.target.value)} placeholder="en, es" autoCapitalize="none" spellCheck={false} />
        </label>
        <div className="rule-tags">
          <span className="muted">Tags (any of them)</span>
          <TagsEditor tags={fields.tags} label="Tags" inputLabel="Add a tag" onChange={(tags) => set('tags', tags)} />
        </div>
        <label>
          At least this many followers
          <input type="number" min={0} step={1} value={fields.minFollowers} onChange={(e) => set('minFollowers', e.target.value)} />
        </label>
      </fieldset>
      <div className="rule-form-wide">
        <RuleActionsEditor actions={fields.actions} onChange={(actions) => set('actions', actions)} />
      </div>
      <FormFooter error={error} errorClassName="rule-form-wide" isSaving={isSaving} submitLabel={rule ? 'Save' : 'Add rule'} onCancel={onDone} />
    </form>
  )
}
