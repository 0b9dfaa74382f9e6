import { webhookEventTypes, type WebhookEventType } from '@carebox/shared'
import { webhookEventTypeLabels } from './webhook-text'

/**
 * Which events an endpoint receives: all of them (also the types added to Carebox later), or the ones ticked.
 * `chosen` is null for all.
 */
export function WebhookEventTypesField({ chosen, onChange }: { chosen: WebhookEventType[] | null; onChange: (next: WebhookEventType[] | null) => void }) {
  const toggle = (type: WebhookEventType, isChecked: boolean) => {
    const current = chosen ?? []
    onChange(isChecked ? webhookEventTypes.filter((t) => t === type || current.includes(t)) : current.filter((t) => t !== type))
  }
  return (
    <fieldset className="checkbox-list webhook-event-types">
      <legend>Events</legend>
      <label>
        <input type="checkbox" checked={chosen === null} onChange={(e) => onChange(e.target.checked ? null : [])} />
        All events, including types added later
      </label>
      {chosen !== null && (
        <ul className="webhook-event-type-list">
          {webhookEventTypes.map((type) => (
            <li key={type}>
              <label>
                <input type="checkbox" checked={chosen.includes(type)} onChange={(e) => toggle(type, e.target.checked)} />
                <span>
                  {webhookEventTypeLabels[type]} <code>{type}</code>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  )
}
