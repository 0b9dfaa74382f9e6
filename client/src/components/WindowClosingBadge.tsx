import type { ConversationSummary } from '@carebox/shared'
import { formatDateTime, formatRemaining } from './formatTime'
import { useNow } from './useNow'
import { windowClosingAt } from './window-closing'
import './sla-badge.css'

/**
 * "Window closes in 45 min": a chat waiting on us whose 24-hour window closes within two hours (after it, only a
 * template or the human-agent tag reaches the customer). Ticks on its own, so it appears and goes without any event.
 */
export function WindowClosingBadge({
  conversation,
}: {
  conversation: Pick<ConversationSummary, 'channel' | 'kind' | 'status' | 'lastInboundAt' | 'lastMessageAt'>
}) {
  const now = useNow(30_000)
  const closesAt = windowClosingAt(conversation, now)
  if (!closesAt) return null
  const left = formatRemaining(Date.parse(closesAt) - now.getTime())
  return (
    <span className="sla-badge sla-amber" title={`The 24-hour reply window closes at ${formatDateTime(closesAt)}: answer before then`}>
      Window closes in {left}
    </span>
  )
}
