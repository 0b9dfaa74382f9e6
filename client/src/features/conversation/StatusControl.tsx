import type { ConversationStatus, ConversationSummary } from '@carebox/shared'
import { useState } from 'react'
import { snoozePresets } from './snooze-presets'

/** Resolve, reopen, or snooze until a preset time. */
export function StatusControl({
  conversation,
  onStatus,
}: {
  conversation: ConversationSummary
  onStatus: (status: ConversationStatus, snoozedUntil?: string) => void
}) {
  const [isChoosingSnooze, setChoosingSnooze] = useState(false)
  const snooze = (until: Date) => {
    setChoosingSnooze(false)
    onStatus('snoozed', until.toISOString())
  }
  return (
    <>
      {conversation.status === 'open' ? (
        <button type="button" className="primary" onClick={() => onStatus('resolved')}>
          Resolve
        </button>
      ) : (
        <button type="button" onClick={() => onStatus('open')}>
          Reopen
        </button>
      )}
      {conversation.status !== 'resolved' && (
        <span
          className="snooze-menu"
          onKeyDown={(event) => {
            if (event.key === 'Escape') setChoosingSnooze(false)
          }}
          onBlur={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget)) setChoosingSnooze(false)
          }}
        >
          <button type="button" aria-expanded={isChoosingSnooze} onClick={() => setChoosingSnooze(!isChoosingSnooze)}>
            Snooze…
          </button>
          {isChoosingSnooze && (
            <span className="snooze-presets" role="group" aria-label="Snooze until">
              {snoozePresets.map((preset) => (
                <button key={preset.id} type="button" onClick={() => snooze(preset.until(new Date()))}>
                  {preset.label}
                </button>
              ))}
            </span>
          )}
        </span>
      )}
    </>
  )
}
