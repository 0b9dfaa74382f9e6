import { slaLabel, slaTone, type ConversationSla, type SlaTone } from '@carebox/shared'
import { formatDateTime } from './formatTime'
import { useNow } from './useNow'
import './sla-badge.css'

const toneWords: Record<'green' | 'amber', string> = { green: 'on track', amber: 'at risk' }

/** What the pill says: how long is left, how long ago it broke, or that the clock waits. */
function pillText(sla: ConversationSla, tone: SlaTone, now: Date): string {
  if (tone === 'paused') return 'SLA paused'
  // A target can be marked breached before the nearest deadline's time (another target broke): no countdown then.
  if (tone === 'red' && sla.dueAt !== null && Date.parse(sla.dueAt) > now.getTime()) return 'Breached'
  return slaLabel(sla, now)
}

/** The whole sentence, for the tooltip and screen readers: the pill alone says only how long. */
function describe(sla: ConversationSla, tone: SlaTone, now: Date): string {
  if (tone === 'paused' || sla.dueAt === null) return slaLabel(sla, now)
  const due = formatDateTime(sla.dueAt)
  return tone === 'red' ? `SLA ${pillText(sla, tone, now).toLowerCase()} (due ${due})` : `SLA ${toneWords[tone]}: ${slaLabel(sla, now)} (due ${due})`
}

/**
 * Where a conversation's nearest deadline stands: green with time to spare, amber within 15 minutes, red once
 * breached, grey while the clock waits on the customer. Ticks on its own, so it turns without any event.
 */
export function SlaBadge({ sla }: { sla: ConversationSla | null }) {
  // Every 15 s: the pill counts in minutes, and amber should not show a minute late.
  const now = useNow(15_000)
  if (!sla) return null
  const tone = slaTone(sla, now)
  const sentence = describe(sla, tone, now)
  return (
    <span className={`sla-badge sla-${tone}`} title={sentence}>
      <span aria-hidden="true">{pillText(sla, tone, now)}</span>
      <span className="visually-hidden">{sentence}</span>
    </span>
  )
}
