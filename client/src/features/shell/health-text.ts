import type { SystemHealth } from '@carebox/shared'
import { formatClockTime } from '../../components/formatTime'
import type { HealthRecovery } from '../../store/system.slice'

/** What a degraded node means for the person at the console: what is down, since when, and that nothing is lost. */
export function degradedText(health: SystemHealth, now: Date = new Date()): string {
  if (!health.database.ok) {
    return `Carebox has not reached its database since ${formatClockTime(health.database.since, now)}. Nothing is lost: platforms send their messages again, and work resumes by itself when it is back.`
  }
  return `Carebox’s job worker is not processing (${health.worker.detail}). Nothing is lost: replies and incoming messages wait, and work resumes by itself when it restarts.`
}

export const recoveryTexts: Record<HealthRecovery, string> = {
  database: 'Database reachable again.',
  worker: 'Job worker processing again.',
}
