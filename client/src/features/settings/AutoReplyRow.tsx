import { routingApi, type ChannelAutoReply } from '@carebox/shared'
import { useId, useState, type FormEvent } from 'react'
import { call } from '../../api/http'

const maxLength = 1000

/** One channel's out-of-hours acknowledgement: on with its text, or off. */
export function AutoReplyRow({ channel, onSaved }: { channel: ChannelAutoReply; onSaved: (saved: ChannelAutoReply) => void }) {
  const id = useId()
  const [text, setText] = useState(channel.outOfHoursReply ?? '')
  const [error, setError] = useState<string | null>(null)
  const [isSaved, setSaved] = useState(false)
  const [isBusy, setBusy] = useState(false)

  async function save(next: string | null, event?: FormEvent) {
    event?.preventDefault()
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      const saved = await call(routingApi.updateAutoReply, { params: { channelId: channel.channelId }, body: { outOfHoursReply: next } })
      setText(saved.outOfHoursReply ?? '')
      onSaved(saved)
      setSaved(true)
    } catch (failure) {
      setError((failure as Error).message)
    } finally {
      setBusy(false)
    }
  }

  const trimmed = text.trim()
  return (
    <li className="auto-reply">
      <form onSubmit={(event) => void save(trimmed === '' ? null : trimmed, event)}>
        <label htmlFor={id}>
          <bdi>{channel.name}</bdi> <span className="muted">({channel.outOfHoursReply ? 'on' : 'off'})</span>
        </label>
        <textarea
          id={id}
          rows={2}
          maxLength={maxLength}
          value={text}
          placeholder="No acknowledgement: customers wait for the team"
          onChange={(event) => setText(event.target.value)}
        />
        <div className="auto-reply-actions">
          <button type="submit" disabled={isBusy || trimmed === (channel.outOfHoursReply ?? '')}>
            Save
          </button>
          {channel.outOfHoursReply && (
            <button type="button" disabled={isBusy} onClick={() => void save(null)}>
              Turn off
            </button>
          )}
          {isSaved && (
            <span className="muted" role="status">
              Saved
            </span>
          )}
          {error && (
            <span role="alert" className="error">
              {error}
            </span>
          )}
        </div>
      </form>
    </li>
  )
}
