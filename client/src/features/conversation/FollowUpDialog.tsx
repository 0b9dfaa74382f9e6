import { followUpsApi, type ConversationSummary } from '@carebox/shared'
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { Dialog } from '../../components/Dialog'
import { formatDateTime } from '../../components/formatTime'
import { useNow } from '../../components/useNow'
import { useStore } from '../../store/store'
import { followUpPresets, fromLocalInput, toLocalInput } from './follow-up-presets'
import { checkFollowUp, followUpBody, noPreparedMessage, type PreparedDraft } from './follow-up-rules'
import { PreparedMessageFields } from './PreparedMessageFields'
import './follow-ups.css'

/** The API's cap on a note. */
const maxNoteLength = followUpsApi.create.schema.body.properties.note.maxLength ?? 2000

/**
 * Schedules a follow-up: when (a preset or any time), a note for whoever gets it back, and maybe a message to send
 * then. What will happen at that time is said live, in the words the server will keep.
 */
export function FollowUpDialog({ conversation, onClose }: { conversation: ConversationSummary; onClose: () => void }) {
  const schedule = useStore((s) => s.scheduleFollowUp)
  const teams = useStore((s) => s.routingTeams)
  const loadTeams = useStore((s) => s.loadRoutingTeams)
  const templates = useStore((s) => s.templatesByChannel[conversation.channel.id])
  const now = useNow(60_000)
  const ids = useId()
  const [when, setWhen] = useState('')
  const [note, setNote] = useState('')
  const [draft, setDraft] = useState<PreparedDraft>(noPreparedMessage)
  const [isScheduling, setScheduling] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const presetsGroup = useRef<HTMLDivElement>(null)

  const hasTeams = teams !== null
  useEffect(() => {
    if (!hasTeams) void loadTeams()
  }, [hasTeams, loadTeams])

  useEffect(() => {
    presetsGroup.current?.querySelector('button')?.focus()
  }, [])

  const hours = teams?.find((t) => t.teamId === conversation.teamId) ?? null
  const presets = followUpPresets(hours, now)
  const at = fromLocalInput(when)
  const template = draft.kind === 'template' && draft.templateId ? templates?.items.find((t) => t.id === draft.templateId) : undefined
  const { plan, blockedBy } = checkFollowUp(conversation, at, draft, template)
  const canSchedule = blockedBy === null && !isScheduling

  // A refusal was about what was asked: once anything changes, it no longer stands.
  const edit =
    <T,>(apply: (value: T) => void) =>
    (value: T) => {
      apply(value)
      setError(null)
    }
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!canSchedule || !at) return
    setScheduling(true)
    const refusal = await schedule(conversation.id, followUpBody(at, note, draft, template))
    setScheduling(false)
    if (refusal) setError(refusal)
    else onClose()
  }

  return (
    <Dialog title="Follow up" onClose={onClose} className="follow-up-dialog">
      <form className="follow-up-form" aria-label="Follow-up" onSubmit={(e) => void submit(e)}>
        <fieldset className="follow-up-when">
          <legend>When</legend>
          <div ref={presetsGroup} className="follow-up-presets" role="group" aria-label="Presets">
            {presets.map((preset) => {
              const value = toLocalInput(preset.at)
              return (
                <button key={preset.id} type="button" aria-pressed={when === value} onClick={() => edit(setWhen)(value)}>
                  <span>{preset.label}</span>
                  <span className="muted">{formatDateTime(preset.at)}</span>
                </button>
              )
            })}
          </div>
          <label>
            Date and time
            <input type="datetime-local" value={when} min={toLocalInput(now)} onChange={(e) => edit(setWhen)(e.target.value)} />
          </label>
        </fieldset>
        <label className="follow-up-note">
          Note for whoever gets it back (optional)
          <textarea rows={2} dir="auto" maxLength={maxNoteLength} value={note} onChange={(e) => edit(setNote)(e.target.value)} />
        </label>
        <PreparedMessageFields conversation={conversation} draft={draft} onChange={edit(setDraft)} />
        <section
          className={plan && !plan.sends && draft.kind !== 'none' ? 'follow-up-plan follow-up-plan-held' : 'follow-up-plan'}
          aria-labelledby={`${ids}-plan`}
          aria-live="polite"
        >
          <h3 id={`${ids}-plan`}>{at ? `At ${formatDateTime(at)}` : 'At that time'}</h3>
          <p>{plan ? plan.words : 'Pick a time to see what will happen then.'}</p>
        </section>
        {error && (
          <p role="alert" className="error">
            Not scheduled: {error}
          </p>
        )}
        <div className="follow-up-actions">
          {blockedBy && (
            <span id={`${ids}-blocked`} className="muted">
              {blockedBy}
            </span>
          )}
          <button type="submit" className="primary" disabled={!canSchedule} aria-describedby={blockedBy ? `${ids}-blocked` : undefined}>
            {isScheduling ? 'Scheduling…' : 'Schedule follow-up'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
