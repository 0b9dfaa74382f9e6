import { cannedVariables, renderCannedReply, type CannedReply } from '@carebox/shared'
import { useId, useState, type FormEvent } from 'react'
import type { CannedReplyDraft } from '../../store/canned.slice'
import { useStore } from '../../store/store'
import { TeamSelect } from './TeamSelect'
import { FormFooter } from './FormFooter'

/** The contract's shortcut pattern: what follows `/` in the composer. */
const shortcutPattern = /^[a-z0-9][a-z0-9_-]*$/
const shortcutMaxLength = 40
const invalidShortcut = 'A shortcut uses lowercase letters, digits, - and _, and starts with a letter or digit.'

/** Sample values for the preview: what an agent would see sending it in a real conversation. */
const sampleCustomer = 'Lucía Fernández'
const sampleChannel = 'Acme on WhatsApp'

function isValidShortcut(shortcut: string): boolean {
  return shortcut.length <= shortcutMaxLength && shortcutPattern.test(shortcut)
}

/** The fields of `draft` that differ from `reply`: a PATCH sends only what changed. */
function changesOf(reply: CannedReply, draft: CannedReplyDraft): Partial<CannedReplyDraft> {
  return {
    ...(draft.shortcut !== reply.shortcut && { shortcut: draft.shortcut }),
    ...(draft.title !== reply.title && { title: draft.title }),
    ...(draft.teamId !== reply.teamId && { teamId: draft.teamId }),
    ...(draft.body !== reply.body && { body: draft.body }),
  }
}

/** Adds a canned reply, or edits one. */
export function CannedReplyForm({ reply, onDone }: { reply?: CannedReply; onDone: () => void }) {
  const create = useStore((s) => s.createCannedReply)
  const update = useStore((s) => s.updateCannedReply)
  const agentName = useStore((s) => s.session?.user.name ?? '')
  const [shortcut, setShortcut] = useState(reply?.shortcut ?? '')
  const [title, setTitle] = useState(reply?.title ?? '')
  const [teamId, setTeamId] = useState(reply?.teamId ?? '')
  const [body, setBody] = useState(reply?.body ?? '')
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)
  const ids = useId()

  // People write the shortcut as they will type it: a leading "/" is not part of it.
  const cleanShortcut = shortcut.trim().replace(/^\//, '')
  const isShortcutInvalid = cleanShortcut !== '' && !isValidShortcut(cleanShortcut)
  const preview = renderCannedReply(body, { customerName: sampleCustomer, agentName, channelName: sampleChannel })

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!isValidShortcut(cleanShortcut)) {
      setError(invalidShortcut)
      return
    }
    const draft: CannedReplyDraft = { shortcut: cleanShortcut, title: title.trim(), body, teamId: teamId || null }
    const changes = reply ? changesOf(reply, draft) : draft
    if (reply && Object.keys(changes).length === 0) {
      onDone()
      return
    }
    setSaving(true)
    const failure = reply ? await update(reply.id, changes) : await create(draft)
    setSaving(false)
    if (failure) setError(failure)
    else onDone()
  }

  return (
    <form className="settings-form canned-form" onSubmit={(e) => void submit(e)} aria-label={reply ? `Edit /${reply.shortcut}` : 'Add a canned reply'}>
      <div className="canned-field">
        <label htmlFor={`${ids}-shortcut`}>Shortcut</label>
        <span className="shortcut-field">
          <span aria-hidden="true">/</span>
          <input
            id={`${ids}-shortcut`}
            value={shortcut}
            onChange={(e) => setShortcut(e.target.value)}
            required
            // Room for a leading "/", which is dropped.
            maxLength={shortcutMaxLength + 1}
            autoCapitalize="none"
            autoComplete="off"
            spellCheck={false}
            placeholder="refund"
            aria-invalid={isShortcutInvalid}
            aria-describedby={`${ids}-shortcut-help`}
          />
        </span>
        <span id={`${ids}-shortcut-help`} className={isShortcutInvalid ? 'error' : 'muted'}>
          Lowercase letters, digits, - and _
        </span>
      </div>
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={120} placeholder="Refund on its way" />
      </label>
      <TeamSelect value={teamId} onChange={setTeamId} anyLabel="Everyone" savedTeamId={reply?.teamId} />
      <div className="canned-field canned-form-wide">
        <label htmlFor={`${ids}-body`}>Reply</label>
        <textarea
          id={`${ids}-body`}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          required
          maxLength={5000}
          rows={5}
          aria-describedby={`${ids}-variables`}
        />
        <span id={`${ids}-variables`} className="muted">
          Variables, filled in when the reply is used:{' '}
          {cannedVariables.map((name, i) => (
            <span key={name}>
              {i > 0 && ', '}
              <code>{`{{${name}}}`}</code>
            </span>
          ))}
        </span>
      </div>
      <section className="canned-form-wide canned-preview" aria-label="Preview">
        <span className="muted">
          Preview, for {sampleCustomer} on {sampleChannel}
        </span>
        {preview ? <p className="canned-preview-text">{preview}</p> : <p className="muted">Write the reply to see it here.</p>}
      </section>
      <FormFooter error={error} errorClassName="canned-form-wide" isSaving={isSaving} submitLabel={reply ? 'Save' : 'Add reply'} onCancel={onDone} />
    </form>
  )
}
