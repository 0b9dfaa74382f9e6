/** When a snoozed conversation comes back, in the agent's own time zone. */
export interface SnoozePreset {
  id: '1h' | 'tomorrow' | 'next-week'
  label: string
  until(now: Date): Date
}

const hourMs = 60 * 60 * 1000

function atNine(day: Date): Date {
  const date = new Date(day)
  date.setHours(9, 0, 0, 0)
  return date
}

function daysLater(now: Date, days: number): Date {
  const date = new Date(now)
  date.setDate(date.getDate() + days)
  return date
}

export const snoozePresets: readonly SnoozePreset[] = [
  { id: '1h', label: '1 hour', until: (now) => new Date(now.getTime() + hourMs) },
  { id: 'tomorrow', label: 'Tomorrow 9:00', until: (now) => atNine(daysLater(now, 1)) },
  // Next Monday, 9:00 (a week from today when today is Monday).
  { id: 'next-week', label: 'Next week (Monday 9:00)', until: (now) => atNine(daysLater(now, (8 - now.getDay()) % 7 || 7)) },
]
