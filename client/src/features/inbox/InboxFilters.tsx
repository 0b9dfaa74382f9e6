import { priorities, type Priority } from '@carebox/shared'
import { useEffect, useState } from 'react'
import { priorityLabels } from '../../components/priorityLabels'
import { useStore } from '../../store/store'
import { InboxSearch } from './InboxSearch'
import { ListSortToggle } from './ListSortToggle'
import { SlaFilterSelect } from './SlaFilterSelect'

/** The languages the filter offers (detected from the customers' messages): the ones teams most often ask for. */
const languages: readonly { code: string; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Spanish' },
  { code: 'cs', name: 'Czech' },
  { code: 'ja', name: 'Japanese' },
  { code: 'zh', name: 'Chinese' },
  { code: 'ru', name: 'Russian' },
]
const tagPattern = /^[^\s,]{1,40}$/
const debounceMs = 400

/** A tag the server would refuse (spaces, commas) filters nothing, rather than failing the list. */
function tagOf(text: string): string | null {
  return tagPattern.test(text.trim()) ? text.trim() : null
}

/** Search, narrowing the list to one channel, priority, language, SLA standing or tag, and its order. */
export function InboxFilters() {
  const channels = useStore((s) => s.channels)
  const hasChannelsError = useStore((s) => s.channelsError !== null)
  const loadChannels = useStore((s) => s.loadChannels)
  const channelId = useStore((s) => s.listFilters.channelId)
  const priority = useStore((s) => s.listFilters.priority)
  const language = useStore((s) => s.listFilters.language)
  const tag = useStore((s) => s.listFilters.tag)
  const setListFilters = useStore((s) => s.setListFilters)
  const [tagText, setTagText] = useState(tag ?? '')

  useEffect(() => {
    if (tagOf(tagText) === tag) return
    const timer = setTimeout(() => setListFilters({ tag: tagOf(tagText) }), debounceMs)
    return () => clearTimeout(timer)
  }, [tagText, tag, setListFilters])

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
      <select aria-label="Language" value={language ?? ''} onChange={(event) => setListFilters({ language: event.target.value || null })}>
        <option value="">Any language</option>
        {languages.map((l) => (
          <option key={l.code} value={l.code}>
            {l.name} ({l.code})
          </option>
        ))}
      </select>
      <SlaFilterSelect />
      <input type="text" aria-label="Tag" placeholder="Tag" maxLength={40} value={tagText} onChange={(event) => setTagText(event.target.value)} />
      <ListSortToggle />
    </div>
  )
}
