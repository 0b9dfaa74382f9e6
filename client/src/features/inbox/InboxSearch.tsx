import { useEffect, useState, type FormEvent } from 'react'
import { conversationsApi } from '@carebox/shared'
import { hasSearchFilters, noSearch } from '../../store/conversation-list'
import { useStore } from '../../store/store'
import './search.css'

const debounceMs = 400
const maxQueryLength = conversationsApi.list.schema.querystring.properties.q.maxLength ?? 200

/**
 * The search the box's text asks for. Empty text ends a search, unless it is searching by filters (the button, or
 * a filter already chosen): then it goes on with no words ('').
 */
function queryOf(text: string, isByFilters: boolean): string | null {
  return text.trim().slice(0, maxQueryLength) || (isByFilters ? '' : null)
}

/**
 * Searches messages and customers' names and handles in every conversation the person may see (any status, all
 * their teams), not only the view: as you pause typing, or at once on Enter. "Search by filters" starts a search
 * with no words, for finding by status, agent and days alone.
 */
export function InboxSearch() {
  const q = useStore((s) => s.listFilters.q)
  const hasFilters = useStore((s) => hasSearchFilters(s.listFilters))
  const setListFilters = useStore((s) => s.setListFilters)
  const [text, setText] = useState(q ?? '')
  const searching = q !== null
  const isByFilters = searching && (q === '' || hasFilters)
  // The search cleared or changed elsewhere (Clear, a view picked): the box follows, or its text would search again.
  const [shownQ, setShownQ] = useState(q)
  if (q !== shownQ) {
    setShownQ(q)
    if (queryOf(text, isByFilters) !== q) setText(q ?? '')
  }

  useEffect(() => {
    if (queryOf(text, isByFilters) === q) return
    const timer = setTimeout(() => setListFilters({ q: queryOf(text, isByFilters) }), debounceMs)
    return () => clearTimeout(timer)
  }, [text, q, isByFilters, setListFilters])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (queryOf(text, isByFilters) !== q) setListFilters({ q: queryOf(text, isByFilters) })
  }

  // Pressed again, it leaves the search the way picking a view does (search filters off).
  const toggleFilters = () => setListFilters(searching ? noSearch : { q: '' })

  return (
    <form role="search" aria-label="Search conversations" className="inbox-search" onSubmit={submit}>
      <input
        type="search"
        aria-label="Search"
        placeholder="Search all conversations"
        maxLength={maxQueryLength}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      {/* While words are searched the filters are already shown: the button would only throw the words away. */}
      {!q && (
        <button type="button" className="search-by-filters" aria-pressed={q === ''} onClick={toggleFilters}>
          Search by filters
        </button>
      )}
    </form>
  )
}
