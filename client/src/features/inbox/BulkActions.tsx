import { priorities, type Priority } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import { priorityLabels } from '../../components/priorityLabels'
import type { BulkAction } from '../../store/conversations.slice'
import { useStore } from '../../store/store'
import { snoozePresets } from '../conversation/snooze-presets'

const oneHour = snoozePresets.find((p) => p.id === '1h')!
const tagPattern = /^[^\s,]{1,40}$/

function describeOutcome(updated: number, failures: { error: string }[]): string {
  const done = `${updated} updated`
  return failures.length === 0 ? done : `${done}, ${failures.length} could not be changed: ${failures[0]!.error}`
}

/**
 * Ticking rows in the list, and acting on every ticked conversation at once. The server checks each on its own
 * (an agent may claim but not hand out work): what it refuses is counted as not changed.
 */
export function BulkActions() {
  const order = useStore((s) => s.conversationOrder)
  const checked = useStore((s) => s.checkedConversationIds)
  const me = useStore((s) => s.session?.user.id ?? null)
  const setChecked = useStore((s) => s.setChecked)
  const bulkUpdate = useStore((s) => s.bulkUpdate)
  const [isBusy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<string | null>(null)
  const [tag, setTag] = useState('')

  // A refresh can take a ticked row off the screen: what is acted on is what the user can see ticked.
  const checkedOnScreen = order.filter((id) => checked.includes(id))
  const isAllChecked = order.length > 0 && checkedOnScreen.length === order.length

  const run = async (action: BulkAction) => {
    setBusy(true)
    setOutcome(null)
    const result = await bulkUpdate(checkedOnScreen, action)
    setBusy(false)
    setOutcome(result.ok ? describeOutcome(result.value.updated, result.value.failed) : `Nothing was changed: ${result.error}`)
    if (result.ok && action.type === 'tag') setTag('')
  }

  const addTag = (event: FormEvent) => {
    event.preventDefault()
    if (tagPattern.test(tag.trim())) void run({ type: 'tag', tag: tag.trim() })
  }

  if (order.length === 0 && outcome === null) return null
  return (
    <div className="bulk-actions">
      <div className="bulk-head">
        <label>
          <input
            type="checkbox"
            checked={isAllChecked}
            ref={(box) => {
              if (box) box.indeterminate = checkedOnScreen.length > 0 && !isAllChecked
            }}
            onChange={() => setChecked(isAllChecked ? [] : order)}
          />{' '}
          Select all on screen
        </label>
        {checkedOnScreen.length > 0 && <span className="muted">{checkedOnScreen.length} selected</span>}
      </div>
      {checkedOnScreen.length > 0 && (
        <div className="bulk-bar" role="group" aria-label="Bulk actions">
          {me && (
            <button type="button" disabled={isBusy} onClick={() => void run({ type: 'assign', assigneeId: me })}>
              Assign to me
            </button>
          )}
          <button type="button" disabled={isBusy} onClick={() => void run({ type: 'assign', assigneeId: null })}>
            Unassign
          </button>
          <button type="button" disabled={isBusy} onClick={() => void run({ type: 'status', status: 'resolved' })}>
            Resolve
          </button>
          <button type="button" disabled={isBusy} onClick={() => void run({ type: 'status', status: 'open' })}>
            Reopen
          </button>
          <button
            type="button"
            disabled={isBusy}
            onClick={() => void run({ type: 'status', status: 'snoozed', snoozedUntil: oneHour.until(new Date()).toISOString() })}
          >
            Snooze 1 h
          </button>
          <select
            aria-label="Set priority"
            value=""
            disabled={isBusy}
            onChange={(event) => {
              if (event.target.value) void run({ type: 'priority', priority: event.target.value as Priority })
            }}
          >
            <option value="">Priority…</option>
            {priorities.map((p) => (
              <option key={p} value={p}>
                {priorityLabels[p]}
              </option>
            ))}
          </select>
          <form className="bulk-tag" onSubmit={addTag}>
            <input aria-label="Tag to add" placeholder="Tag" maxLength={40} value={tag} onChange={(event) => setTag(event.target.value)} />
            <button type="submit" disabled={isBusy || !tagPattern.test(tag.trim())}>
              Add tag
            </button>
          </form>
        </div>
      )}
      {outcome && (
        <p role="status" className="bulk-outcome">
          {outcome}
        </p>
      )}
    </div>
  )
}
