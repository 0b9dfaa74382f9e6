import { useEffect } from 'react'
import { isSlaDependent } from '../../store/conversation-list'
import { useStore } from '../../store/store'

/** How often a list filtered by SLA standing is asked for again. */
export const slaListRefreshMs = 60_000

/**
 * Keeps an SLA-filtered list (the at-risk view, the SLA filter) true as time passes: a deadline coming within
 * 15 minutes moves a conversation between them with no event to say so.
 */
export function useSlaListRefresh(): void {
  const isDependent = useStore((s) => isSlaDependent(s.listFilters))
  const refresh = useStore((s) => s.refreshConversations)
  useEffect(() => {
    if (!isDependent) return
    const timer = setInterval(() => void refresh(), slaListRefreshMs)
    return () => clearInterval(timer)
  }, [isDependent, refresh])
}
