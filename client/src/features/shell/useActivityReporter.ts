import { autoAwayMinutes } from '@carebox/shared'
import { useEffect } from 'react'
import { reportActivity } from '../../api/socket'

const idleMs = autoAwayMinutes * 60_000
/** What counts as the person being at the console. Scrolling and pointing count: reading is working. */
const activityEvents = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const

/**
 * Watches for the person at the console: after `autoAwayMinutes` without a key, a pointer or a visible tab it
 * reports them inactive (the server turns them away), and active again at the next sign of them.
 */
export function useActivityReporter(): void {
  useEffect(() => {
    let lastActivityAt = Date.now()
    let timer: ReturnType<typeof setTimeout> | null = null
    // One timer for the whole idle span, moved on only when it fires: pointer moves come by the hundred.
    const arm = (waitMs: number) => {
      timer = setTimeout(() => {
        const idleFor = Date.now() - lastActivityAt
        if (idleFor < idleMs) return arm(idleMs - idleFor)
        timer = null
        reportActivity(false)
      }, waitMs)
    }
    const onActivity = () => {
      lastActivityAt = Date.now()
      reportActivity(true)
      if (timer === null) arm(idleMs)
    }
    const onVisibility = () => {
      if (document.visibilityState === 'visible') onActivity()
    }

    arm(idleMs)
    for (const event of activityEvents) window.addEventListener(event, onActivity, { passive: true, capture: true })
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      if (timer !== null) clearTimeout(timer)
      for (const event of activityEvents) window.removeEventListener(event, onActivity, { capture: true })
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [])
}
