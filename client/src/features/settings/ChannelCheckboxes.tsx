import { ChannelBadge } from '../../components/ChannelBadge'
import { useStore } from '../../store/store'

/** Picks channels by id; the channels themselves come from the store (loaded by the panel). */
export function ChannelCheckboxes({ selected, onChange }: { selected: readonly string[]; onChange: (channelIds: string[]) => void }) {
  const channels = useStore((s) => s.channels)
  const toggle = (id: string, isChecked: boolean) => onChange(isChecked ? [...selected, id] : selected.filter((c) => c !== id))
  return (
    <fieldset className="checkbox-list">
      <legend>Channels</legend>
      {channels === null ? (
        <span className="muted">Loading…</span>
      ) : channels.length === 0 ? (
        <span className="muted">No channels yet.</span>
      ) : (
        channels.map((channel) => (
          <label key={channel.id}>
            <input type="checkbox" checked={selected.includes(channel.id)} onChange={(e) => toggle(channel.id, e.target.checked)} />
            <ChannelBadge kind={channel.kind} />
            {channel.name}
          </label>
        ))
      )}
    </fieldset>
  )
}
