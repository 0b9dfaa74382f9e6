import { datasetIdPattern, type ChannelKind } from '@carebox/shared'
import { useEffect, useId, useState } from 'react'
import { useStore } from '../../store/store'

const datasetId = new RegExp(datasetIdPattern)
const metaKinds = new Set<ChannelKind>(['facebook', 'instagram', 'whatsapp'])

/**
 * A Meta channel's Conversions API settings, inside its settings form: the dataset the outcomes agents record go to,
 * and optionally a token of its own (else the channel's). Saved on their own, apart from the channel's form; the
 * token is never shown once set.
 */
export function ConversionsSettings({ channelId, kind }: { channelId: string; kind: ChannelKind }) {
  const settings = useStore((s) => s.conversionsByChannel[channelId])
  const load = useStore((s) => s.loadChannelConversions)
  const save = useStore((s) => s.saveChannelConversions)
  const [dataset, setDataset] = useState<string | null>(null)
  const [token, setToken] = useState('')
  const [message, setMessage] = useState<{ kind: 'error' | 'saved'; text: string } | null>(null)
  const [isSaving, setSaving] = useState(false)
  const ids = useId()

  useEffect(() => {
    if (!metaKinds.has(kind)) return
    void load(channelId).then((error) => error && setMessage({ kind: 'error', text: error }))
  }, [channelId, kind, load])

  if (!metaKinds.has(kind)) return null
  // What the field shows: what the person typed, else what is saved.
  const shown = dataset ?? settings?.datasetId ?? ''

  const submit = async () => {
    const value = shown.trim()
    if (value !== '' && !datasetId.test(value)) {
      setMessage({ kind: 'error', text: 'The dataset id is digits only, as Events Manager shows it.' })
      return
    }
    setSaving(true)
    const error = await save(channelId, { datasetId: value === '' ? null : value, ...(token && value !== '' && { accessToken: token }) })
    setSaving(false)
    if (error) setMessage({ kind: 'error', text: error })
    else {
      setToken('')
      setDataset(null)
      setMessage({ kind: 'saved', text: value === '' ? 'Outcomes are no longer sent to Meta.' : 'Outcomes will be sent to Meta.' })
    }
  }

  return (
    <fieldset className="conversions-settings">
      <legend>Meta Conversions API</legend>
      <p id={`${ids}-help`} className="muted">
        Outcomes agents record (leads, purchases) are reported to this dataset, so Meta credits the ads conversations came from. Leave the dataset empty to send
        nothing.
      </p>
      <label>
        Dataset id
        <input
          value={shown}
          onChange={(e) => {
            setDataset(e.target.value)
            setMessage(null)
          }}
          inputMode="numeric"
          autoComplete="off"
          maxLength={30}
          aria-describedby={`${ids}-help`}
        />
      </label>
      <label>
        Conversions API token
        <input
          type="password"
          autoComplete="off"
          value={token}
          placeholder={settings?.hasAccessToken ? 'Set (leave blank to keep)' : "Optional: the channel's access token is used"}
          onChange={(e) => {
            setToken(e.target.value)
            setMessage(null)
          }}
        />
      </label>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'muted'}>
          {message.text}
        </p>
      )}
      <button type="button" onClick={() => void submit()} disabled={isSaving}>
        {isSaving ? 'Saving…' : 'Save Conversions API settings'}
      </button>
    </fieldset>
  )
}
