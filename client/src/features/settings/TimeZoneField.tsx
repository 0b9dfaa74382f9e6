import { useId } from 'react'

/** Every IANA zone the browser knows; none in a browser without Intl.supportedValuesOf (the box still takes any name). */
function knownTimeZones(): string[] {
  try {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
    // Some engines list only canonical zones, which leaves out UTC itself.
    return zones.includes('UTC') ? zones : ['UTC', ...zones]
  } catch {
    return []
  }
}

const timeZones = knownTimeZones()

export function TimeZoneField({ value, onChange }: { value: string; onChange: (timeZone: string) => void }) {
  const listId = useId()
  return (
    <label>
      Time zone
      <input
        list={listId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        maxLength={64}
        autoComplete="off"
        spellCheck={false}
        placeholder="Europe/Prague"
      />
      <datalist id={listId}>
        {timeZones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </label>
  )
}
