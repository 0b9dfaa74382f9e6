import type { ChannelHealth } from '@carebox/shared'
import { longDuration } from './duration-text'

/** "every 40 seconds", "every 3 minutes": a channel's usual gap between arrivals, for a sentence. */
export function usualGapText(seconds: number): string {
  if (seconds < 90) {
    const rounded = Math.max(1, Math.round(seconds))
    return `every ${rounded} second${rounded === 1 ? '' : 's'}`
  }
  return `every ${longDuration(Math.round(seconds / 60))}`
}

/** "Nothing received for 12 minutes (usually every 40 seconds)", or null when the channel is not unusually quiet. */
export function quietText(health: ChannelHealth): string | null {
  if (health.quietMinutes === null) return null
  const usual = health.usualGapSeconds === null ? '' : ` (usually ${usualGapText(health.usualGapSeconds)})`
  return `Nothing received for ${longDuration(health.quietMinutes)}${usual}`
}

/** The one-word state of a channel's intake, as Settings → System lists it. */
export const healthStatusLabels: Record<ChannelHealth['status'], string> = {
  ok: 'Receiving',
  failing: 'Polling fails',
  quiet: 'Unusually quiet',
  disabled: 'Disabled',
}
