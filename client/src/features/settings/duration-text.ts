const minutesPerDay = 24 * 60

function parts(minutes: number): { days: number; hours: number; rest: number } {
  return { days: Math.floor(minutes / minutesPerDay), hours: Math.floor((minutes % minutesPerDay) / 60), rest: minutes % 60 }
}

/** "1 h 30 m", "45 m", "2 d 3 h": a number of minutes at a glance. */
export function shortDuration(minutes: number): string {
  const { days, hours, rest } = parts(minutes)
  const text = [days && `${days} d`, hours && `${hours} h`, rest && `${rest} m`].filter(Boolean).join(' ')
  return text || '0 m'
}

/** Under a minutes box: "90 min = 1 h 30 m", so nobody has to work out what 1440 means. */
export function minutesHint(minutes: number): string {
  return minutes < 60 ? `${minutes} min` : `${minutes} min = ${shortDuration(minutes)}`
}

function counted(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`
}

/** "30 minutes", "2 hours", "1 hour 30 minutes", "1 day 2 hours": for sentences. */
export function longDuration(minutes: number): string {
  const { days, hours, rest } = parts(minutes)
  const text = [days && counted(days, 'day'), hours && counted(hours, 'hour'), rest && counted(rest, 'minute')].filter(Boolean).join(' ')
  return text || counted(0, 'minute')
}
