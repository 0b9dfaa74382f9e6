import { priorities, type Priority } from '@carebox/shared'
import { useEffect } from 'react'
import { priorityLabels } from '../../components/priorityLabels'
import { useStore } from '../../store/store'
import { InboxSearch } from './InboxSearch'

/** Search, and narrowing the list to one channel or priority. */
export function InboxFilters() {
  const channels = useStore((s) => s.channels)
  const hasChannelsError = useStore((s) => s.channelsError !== null)
  const loadChannels = useStore((s) => s.loadChannels)
  const channelId = useStore((s) => s.listFilters.channelId)
  const priority = useStore((s) => s.listFilters.priority)
  const setListFilters = useStore((s) => s.setListFilters)

  useEffect(() => {
    if (channels === null && !hasChannelsError) void loadChannels()
  }, [channels, hasChannelsError, loadChannels])

  return (
    <div className="inbox-filters">
      <InboxSearch />
      <select aria-label="Channel" value={channelId ?? ''} onChange={(event) => setListFilters({ channelId: event.target.value || null })}>
        <option value="">All channels</option>
        {(channels ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <select aria-label="Priority" value={priority ?? ''} onChange={(event) => setListFilters({ priority: (event.target.value || null) as Priority | null })}>
        <option value="">Any priority</option>
        {priorities.map((p) => (
          <option key={p} value={p}>
            {priorityLabels[p]}
          </option>
        ))}
      </select>
    </div>
  )
}
