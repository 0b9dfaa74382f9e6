// Made once: `toLocaleString` builds a new formatter on every call, which costs a list of fifty rows milliseconds.
const shortFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
const fullFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
})

/** A moment as people read it in the console: "Tue 3 Mar, 09:00" in the browser's language and time zone. */
export function formatDateTime(at: string | Date): string {
  return shortFormat.format(new Date(at))
}

/** A moment close to now: "12:01:03" when it is today, with its day otherwise. */
export function formatClockTime(at: string | Date, now: Date = new Date()): string {
  const date = new Date(at)
  return date.toDateString() === now.toDateString() ? clockFormat.format(date) : formatDateTime(date)
}

/** A moment to the second, as the browser writes dates and times: for tooltips and records. */
export function formatFullDateTime(at: string | Date): string {
  return fullFormat.format(new Date(at))
}

/** A short, rounded-down span of time ahead: "3 h", "45 min", "less than a minute". */
export function formatRemaining(ms: number): string {
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 1) return 'less than a minute'
  if (minutes < 60) return `${minutes} min`
  return `${Math.floor(minutes / 60)} h`
}
