import { useEffect, useRef } from 'react'
import type { Toast } from '../../store/notifications.slice'
import { useStore } from '../../store/store'

export const shownMs = 15_000

/** Each notice goes away `shownMs` after it arrived; while one is being read (paused), all wait, then start over. */
export function useAutoDismiss(toasts: Toast[], isPaused: boolean): void {
  const dismiss = useStore((s) => s.dismissToast)
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>())

  useEffect(() => {
    const running = timers.current
    if (isPaused) {
      running.forEach((timer) => clearTimeout(timer))
      running.clear()
      return
    }
    const ids = new Set(toasts.map((t) => t.id))
    for (const [id, timer] of running) {
      if (ids.has(id)) continue
      clearTimeout(timer)
      running.delete(id)
    }
    for (const id of ids) {
      if (running.has(id)) continue
      running.set(
        id,
        setTimeout(() => {
          running.delete(id)
          dismiss(id)
        }, shownMs),
      )
    }
  }, [toasts, isPaused, dismiss])

  useEffect(() => {
    const running = timers.current
    return () => running.forEach((timer) => clearTimeout(timer))
  }, [])
}
