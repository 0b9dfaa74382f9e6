import { useEffect, type MouseEvent } from 'react'
import type { SurgeToast } from '../../store/notifications.slice'
import { useStore } from '../../store/store'
import { surgesAnchor, surgesPath } from '../dashboard/dashboard-paths'
import { surgeNegativeText, surgeTitle, surgeVolumeText } from '../dashboard/surge-text'
import { shownMs } from './ToastItem'

/** A surge, for a lead: what surged, against its baseline, and a link to the dashboard's surge panel. */
export function SurgeToastItem({ toast, isPaused }: { toast: SurgeToast; isPaused: boolean }) {
  const dismiss = useStore((s) => s.dismissToast)
  const navigate = useStore((s) => s.navigate)
  const { surge } = toast

  useEffect(() => {
    if (isPaused) return
    const timer = setTimeout(() => dismiss(toast.id), shownMs)
    return () => clearTimeout(timer)
  }, [isPaused, toast.id, dismiss])

  const onOpen = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    navigate(surgesPath)
    // Already on the dashboard: the address does not change, so bring the panel into view here.
    document.getElementById(surgesAnchor)?.scrollIntoView?.({ block: 'start' })
    dismiss(toast.id)
  }

  return (
    <li className="toast toast-surge">
      <p className="toast-title">{surgeTitle(surge)}</p>
      <p className="toast-preview">{surge.reasons.includes('negative') ? `${surgeNegativeText(surge)} · ${surgeVolumeText(surge)}` : surgeVolumeText(surge)}</p>
      <div className="toast-actions">
        <a href={surgesPath} onClick={onOpen}>
          See surges on the dashboard
        </a>
        <button type="button" className="toast-dismiss" onClick={() => dismiss(toast.id)}>
          Dismiss
        </button>
      </div>
    </li>
  )
}
