import { useEffect, useState, type FormEvent } from 'react'
import { conversationsApi } from '@carebox/shared'
import { useStore } from '../../store/store'

const debounceMs = 400
const maxQueryLength = conversationsApi.list.schema.querystring.properties.q.maxLength ?? 200

function queryOf(text: string): string | null {
  return text.trim().slice(0, maxQueryLength) || null
}

/**
 * Searches messages and customers' names and handles in every conversation the person may see (any status, all
 * their teams), not only the view: as you pause typing, or at once on Enter.
 */
export function InboxSearch() {
  const q = useStore((s) => s.listFilters.q)
  const setListFilters = useStore((s) => s.setListFilters)
  const [text, setText] = useState(q ?? '')
  // The search cleared or changed elsewhere (Clear, a view picked): the box follows, or its text would search again.
  const [shownQ, setShownQ] = useState(q)
  if (q !== shownQ) {
    setShownQ(q)
    if (queryOf(text) !== q) setText(q ?? '')
  }

  useEffect(() => {
    if (queryOf(text) === q) return
    const timer = setTimeout(() => setListFilters({ q: queryOf(text) }), debounceMs)
    return () => clearTimeout(timer)
  }, [text, q, setListFilters])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (queryOf(text) !== q) setListFilters({ q: queryOf(text) })
  }

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
    </form>
  )
}
