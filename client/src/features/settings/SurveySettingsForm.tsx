import { surveyLanguages, type Channel, type SurveyLanguage, type SurveySettings } from '@carebox/shared'
import { useId, useMemo, useState } from 'react'
import { ChannelBadge } from '../../components/ChannelBadge'
import { useStore } from '../../store/store'
import { FormFooter } from './FormFooter'
import { draftOf, fieldsOf, surveyLimits, type SurveyFields, type SurveyTextsByLanguage } from './survey-settings-fields'
import { SurveyPreview } from './SurveyPreview'
import { SurveyTextsEditor } from './SurveyTextsEditor'
import { useEditForm } from './useEditForm'

const draftKeys = ['enabled', 'delayMinutes', 'agentsSeeRatings', 'askWhy', 'keepThanksResolved', 'publicLink', 'texts', 'disabledChannelIds'] as const

type Toggle = 'agentsSeeRatings' | 'askWhy' | 'keepThanksResolved' | 'publicLink'

const enabledToggle = {
  label: 'Send satisfaction surveys',
  note: 'After a resolve, ask the customer on their channel, in their language, to rate the conversation from 1 to 5.',
}

/** The switches after the delay, each with what it does. */
const toggles: readonly { key: Toggle; label: string; note: string }[] = [
  {
    key: 'askWhy',
    label: 'Ask why',
    note: 'After a rating, ask once for the reason: the customer’s next message is kept as the rating’s comment.',
  },
  {
    key: 'agentsSeeRatings',
    label: 'Agents see ratings',
    note: 'Off: agents see that a survey was answered, not the rating or the comment. Leads and admins always see them.',
  },
  {
    key: 'keepThanksResolved',
    label: 'Keep a short thanks resolved',
    note: 'A short, positive message after a resolve (“Thanks, all sorted!”) stays in the thread without reopening the conversation.',
  },
  {
    key: 'publicLink',
    label: 'Survey link in public threads',
    note: 'Comments, Mastodon and Bluesky get a reply with a link to a survey page (no sign-in, one use, 7 days). Off: no survey there.',
  },
]

/** A checkbox with one line on what it does, read as its description. */
function Check({ label, note, checked, onChange }: { label: string; note: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const noteId = useId()
  return (
    <div className="survey-check">
      <label>
        <input type="checkbox" checked={checked} aria-describedby={noteId} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
      <span id={noteId} className="survey-note">
        {note}
      </span>
    </div>
  )
}

/** The team's channels, ticked where no survey goes. */
function ChannelsLeftOut({ channels, selected, onChange }: { channels: Channel[] | null; selected: readonly string[]; onChange: (ids: string[]) => void }) {
  const channelsError = useStore((s) => s.channelsError)
  const toggle = (id: string, isChecked: boolean) => onChange(isChecked ? [...selected, id] : selected.filter((c) => c !== id))
  return (
    <fieldset className="survey-group survey-channels">
      <legend>Channels left out</legend>
      <span className="survey-note">No survey goes out on the channels ticked here. Public threads, Mastodon and Bluesky never get one.</span>
      {channels === null ? (
        <span className={channelsError ? 'error' : 'muted'}>{channelsError ? `Could not load the channels: ${channelsError}` : 'Loading channels…'}</span>
      ) : channels.length === 0 ? (
        <span className="muted">This team has no channels yet.</span>
      ) : (
        channels.map((channel) => (
          <label key={channel.id}>
            <input type="checkbox" checked={selected.includes(channel.id)} onChange={(e) => toggle(channel.id, e.target.checked)} />
            <ChannelBadge kind={channel.kind} />
            <bdi>{channel.name}</bdi>
          </label>
        ))
      )}
    </fieldset>
  )
}

/**
 * One team's satisfaction surveys: whether and when they go, who sees the ratings, the channels left out, and the
 * words per language with a preview of what the customer gets. The contract takes the settings whole.
 */
export function SurveySettingsForm({
  teamId,
  teamName,
  settings,
  defaults,
  channels,
  onEdit,
  onSaved,
}: {
  teamId: string
  teamName: string
  settings: SurveySettings
  defaults: SurveyTextsByLanguage
  /** The team's channels; null until loaded (or when they could not be). */
  channels: Channel[] | null
  onEdit: () => void
  onSaved: () => void
}) {
  const save = useStore((s) => s.saveSurveySettings)
  const [language, setLanguage] = useState<SurveyLanguage>(surveyLanguages[0])
  const delayId = useId()
  const delayNoteId = useId()
  const initial = useMemo(() => fieldsOf(settings, defaults), [settings, defaults])
  const channelIds = useMemo(() => channels?.map((c) => c.id) ?? null, [channels])
  const { fields, setFields, set, error, isSaving, submit } = useEditForm({
    initial,
    editingId: teamId,
    draftOf: (f: SurveyFields) => draftOf(f, defaults, channelIds),
    keys: draftKeys,
    create: (draft) => save(teamId, draft),
    // What did not change goes as it stands (with channels no longer the team's dropped: the server refuses them).
    update: (id, changes) => {
      const base = draftOf(initial, defaults, channelIds)
      return save(id, { ...('error' in base ? settings : base), ...changes })
    },
    onDone: onSaved,
  })
  const change = <K extends keyof SurveyFields>(key: K, value: SurveyFields[K]) => {
    onEdit()
    set(key, value)
  }

  return (
    <form className="settings-form survey-form" noValidate onSubmit={(e) => void submit(e)} aria-label={`Surveys of ${teamName}`}>
      <fieldset className="survey-group">
        <legend>When and how</legend>
        <Check label={enabledToggle.label} note={enabledToggle.note} checked={fields.enabled} onChange={(v) => change('enabled', v)} />
        <div className="survey-field">
          <label htmlFor={delayId}>Delay after the resolve, in minutes</label>
          <input
            id={delayId}
            type="number"
            inputMode="numeric"
            min={0}
            max={surveyLimits.maxDelayMinutes}
            step={1}
            value={fields.delayMinutes}
            aria-describedby={delayNoteId}
            onChange={(e) => change('delayMinutes', e.target.value)}
          />
          <span id={delayNoteId} className="survey-note">
            The survey waits this long; a reopen before then cancels it. A rating never reopens the conversation or starts an SLA clock.
          </span>
        </div>
        {toggles.map(({ key, label, note }) => (
          <Check key={key} label={label} note={note} checked={fields[key]} onChange={(v) => change(key, v)} />
        ))}
      </fieldset>
      <ChannelsLeftOut channels={channels} selected={fields.disabledChannelIds} onChange={(ids) => change('disabledChannelIds', ids)} />
      <SurveyTextsEditor
        language={language}
        onLanguageChange={setLanguage}
        texts={fields.texts}
        defaults={defaults}
        onChange={(lang, texts) => change('texts', { ...fields.texts, [lang]: texts })}
      />
      <SurveyPreview language={language} texts={fields.texts[language]} isAskingWhy={fields.askWhy} />
      <FormFooter
        error={error}
        errorClassName="survey-wide"
        isSaving={isSaving}
        submitLabel="Save"
        onCancel={() => {
          onEdit()
          setFields(initial)
        }}
      />
    </form>
  )
}
