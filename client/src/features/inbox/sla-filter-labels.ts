import type { SlaFilter } from '@carebox/shared'

/** The SLA filter's choices, as the inbox offers them. */
export const slaFilterLabels: Record<SlaFilter, string> = {
  breached: 'Breached',
  at_risk: 'At risk',
  on_track: 'On track',
  paused: 'Paused',
  none: 'No SLA',
}
