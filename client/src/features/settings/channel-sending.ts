import type { Channel } from '@carebox/shared'
import { formatClockTime } from '../../components/formatTime'

function sendsFailed(count: number): string {
  return count === 1 ? '1 send failed' : `${count} sends in a row failed`
}

/**
 * How replies out through a channel are going, when not well: paused by the circuit breaker after failures in a
 * row (it tries again by itself at `pausedUntil`), or failing without being paused yet. Null when all is well.
 */
export function sendingNotice(sending: Channel['sending'], now: Date): { isPaused: boolean; text: string } | null {
  const { consecutiveFailures: failures, pausedUntil, reason } = sending
  if (pausedUntil && new Date(pausedUntil) > now) {
    const why = reason ? ` (${reason})` : ''
    return {
      isPaused: true,
      text: `Sending paused until ${formatClockTime(pausedUntil, now)}: ${sendsFailed(failures)}${why}. Carebox will try again by itself.`,
    }
  }
  if (failures > 0) return { isPaused: false, text: failures === 1 ? '1 send failed' : `${failures} sends failed in a row` }
  return null
}
