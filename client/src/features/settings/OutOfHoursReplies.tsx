import { routingApi, type ChannelAutoReply } from '@carebox/shared'
import { useEffect, useState } from 'react'
import { call } from '../../api/http'
import { AutoReplyRow } from './AutoReplyRow'

/**
 * Per channel, the acknowledgement a customer gets when they write while the team is closed: once per
 * conversation cycle, marked automatic, never counted as the team's response.
 */
export function OutOfHoursReplies() {
  const [channels, setChannels] = useState<ChannelAutoReply[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    call(routingApi.autoReplies).then(
      ({ items }) => setChannels(items),
      (failure: Error) => setError(failure.message),
    )
  }, [])

  return (
    <section className="panel" aria-labelledby="auto-replies-heading">
      <h2 id="auto-replies-heading">Out-of-hours acknowledgements</h2>
      <p className="muted">
        Sent once per conversation when a customer writes while their channel’s team is closed. It is marked as automatic and never counts as a response for
        SLAs or reports.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {channels === null ? (
        !error && <p className="muted">Loading…</p>
      ) : channels.length === 0 ? (
        <p className="muted">Your teams have no channels yet.</p>
      ) : (
        <ul className="auto-replies">
          {channels.map((channel) => (
            <AutoReplyRow
              key={channel.channelId}
              channel={channel}
              onSaved={(saved) => setChannels((all) => (all ?? []).map((c) => (c.channelId === saved.channelId ? saved : c)))}
            />
          ))}
        </ul>
      )}
    </section>
  )
}
