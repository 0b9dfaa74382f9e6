import { channelKindNames, channelKinds, type Agent, type ChannelKind } from '@carebox/shared'
import { useId, useState, type FormEvent } from 'react'
import type { AgentRoutingChanges } from '../../store/routing.slice'
import { useStore } from '../../store/store'
import { ChoiceCheckboxes } from './ChoiceCheckboxes'
import { invalidLanguagesMessage, parseLanguages } from './list-input'

const maxCapacity = 500

interface AgentFields {
  capacity: string
  /** Per kind, as typed; empty: no cap of its own. */
  caps: Record<ChannelKind, string>
  languages: string
  channelKinds: ChannelKind[]
}

function fieldsOf(agent: Agent): AgentFields {
  return {
    capacity: String(agent.capacity),
    caps: Object.fromEntries(channelKinds.map((kind) => [kind, agent.capacityByKind[kind]?.toString() ?? ''])) as Record<ChannelKind, string>,
    languages: agent.languages.join(', '),
    channelKinds: channelKinds.filter((kind) => agent.channelKinds.includes(kind)),
  }
}

function countOf(text: string): number | undefined {
  const value = Number(text.trim())
  return /^\d+$/.test(text.trim()) && value <= maxCapacity ? value : undefined
}

function changesOf(agent: Agent, fields: AgentFields): AgentRoutingChanges | { error: string } {
  const capacity = countOf(fields.capacity)
  if (capacity === undefined) return { error: `Capacity: a whole number from 0 to ${maxCapacity}.` }
  const capacityByKind: Partial<Record<ChannelKind, number>> = {}
  for (const kind of channelKinds) {
    if (fields.caps[kind].trim() === '') continue
    const cap = countOf(fields.caps[kind])
    if (cap === undefined) return { error: `${channelKindNames[kind]}: a whole number from 0 to ${maxCapacity}, or empty for no cap of its own.` }
    capacityByKind[kind] = cap
  }
  const { languages, invalid } = parseLanguages(fields.languages)
  if (invalid.length > 0) return { error: invalidLanguagesMessage(invalid) }
  const savedCaps = Object.fromEntries(channelKinds.flatMap((kind) => (agent.capacityByKind[kind] === undefined ? [] : [[kind, agent.capacityByKind[kind]]])))
  const isSameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item) => b.includes(item))
  return {
    ...(capacity !== agent.capacity && { capacity }),
    ...(JSON.stringify(capacityByKind) !== JSON.stringify(savedCaps) && { capacityByKind }),
    ...(!isSameList(languages, agent.languages) && { languages }),
    ...(!isSameList(fields.channelKinds, agent.channelKinds) && { channelKinds: fields.channelKinds }),
  }
}

/** How many conversations a teammate takes, per kind of channel too, and which ones they can take. */
export function AgentRoutingForm({ agent, onDone }: { agent: Agent; onDone: () => void }) {
  const update = useStore((s) => s.updateAgentRouting)
  const [fields, setFields] = useState(() => fieldsOf(agent))
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)
  const ids = useId()
  const set = <K extends keyof AgentFields>(key: K, value: AgentFields[K]) => setFields((f) => ({ ...f, [key]: value }))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const changes = changesOf(agent, fields)
    if ('error' in changes) {
      setError(changes.error)
      return
    }
    if (Object.keys(changes).length === 0) {
      onDone()
      return
    }
    setSaving(true)
    const failure = await update(agent.id, changes)
    setSaving(false)
    if (failure) setError(failure)
    else onDone()
  }

  return (
    <form className="settings-form agent-form" onSubmit={(e) => void submit(e)} aria-label={`Routing of ${agent.name}`}>
      <div className="agent-field">
        <label htmlFor={`${ids}-capacity`}>Capacity</label>
        <input
          id={`${ids}-capacity`}
          type="number"
          min={0}
          max={maxCapacity}
          step={1}
          value={fields.capacity}
          onChange={(e) => set('capacity', e.target.value)}
          required
          aria-describedby={`${ids}-capacity-help`}
        />
        <span id={`${ids}-capacity-help`} className="muted">
          Open conversations at once, across every channel.
        </span>
      </div>
      <fieldset className="agent-caps">
        <legend>Cap per kind of channel (empty: none of its own)</legend>
        {channelKinds.map((kind) => (
          <label key={kind}>
            {channelKindNames[kind]}
            <input
              type="number"
              min={0}
              max={maxCapacity}
              step={1}
              value={fields.caps[kind]}
              onChange={(e) => set('caps', { ...fields.caps, [kind]: e.target.value })}
              aria-label={`${channelKindNames[kind]} cap`}
            />
          </label>
        ))}
      </fieldset>
      <div className="agent-field">
        <label htmlFor={`${ids}-languages`}>Languages</label>
        <input
          id={`${ids}-languages`}
          value={fields.languages}
          onChange={(e) => set('languages', e.target.value)}
          placeholder="en, es"
          autoCapitalize="none"
          spellCheck={false}
          aria-describedby={`${ids}-languages-help`}
        />
        <span id={`${ids}-languages-help`} className="muted">
          Codes, comma-separated. Empty: any language.
        </span>
      </div>
      <ChoiceCheckboxes
        legend="Channels they work (none: every kind)"
        choices={channelKinds}
        labels={channelKindNames}
        selected={fields.channelKinds}
        onChange={(kinds) => set('channelKinds', kinds)}
      />
      {error && (
        <p role="alert" className="error agent-form-wide">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={isSaving}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
