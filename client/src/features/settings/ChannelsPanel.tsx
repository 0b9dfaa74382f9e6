import { useEffect, useState } from 'react'
import { useStore } from '../../store/store'
import { ChannelForm } from './ChannelForm'
import { ChannelRow } from './ChannelRow'

const healthRefreshMs = 30_000

export function ChannelsPanel() {
  const channels = useStore((s) => s.channels)
  const error = useStore((s) => s.channelsError)
  const load = useStore((s) => s.loadChannels)
  const loadTeams = useStore((s) => s.loadTeams)
  const loadHealth = useStore((s) => s.loadChannelHealth)
  const [isAdding, setAdding] = useState(false)

  useEffect(() => {
    void load()
    void loadTeams()
  }, [load, loadTeams])

  // Silence is news without any event: "Nothing received for N minutes" is asked for again every half minute.
  useEffect(() => {
    void loadHealth()
    const timer = setInterval(() => void loadHealth(), healthRefreshMs)
    return () => clearInterval(timer)
  }, [loadHealth])

  return (
    <section className="panel" aria-labelledby="channels-heading">
      <div className="panel-head">
        <h2 id="channels-heading">Channels</h2>
        {!isAdding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Connect a channel
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {isAdding && <ChannelForm onDone={() => setAdding(false)} />}
      {channels === null ? (
        <p className="muted">Loading…</p>
      ) : channels.length === 0 ? (
        <p className="muted">No channels yet. Connect one to start receiving messages.</p>
      ) : (
        <ul className="channel-list">
          {channels.map((channel) => (
            <ChannelRow key={channel.id} channel={channel} />
          ))}
        </ul>
      )}
    </section>
  )
}
