import type { MouseEvent } from 'react'
import type { SurgeToast } from '../../store/notifications.slice'
import { useStore } from '../../store/store'
import { surgesAnchor, surgesPath } from '../dashboard/dashboard-paths'
import { surgeNegativeText, surgeTitle, surgeVolumeText } from '../dashboard/surge-text'
import { isPlainClick } from './notification-conversation'

/**
 * A surge, for a lead: what surged, against its baseline, and a link to the dashboard's surge panel. A card when it
 * is the only notice; compact, the whole of it one link, in a group.
 */
export function SurgeToastItem({ toast, isCompact = false }: { toast: SurgeToast; isCompact?: boolean }) {
  const dismiss = useStore((s) => s.dismissToast)
  const navigate = useStore((s) => s.navigate)
  const { surge } = toast
  const details = surge.reasons.includes('negative') ? `${surgeNegativeText(surge)} · ${surgeVolumeText(surge)}` : surgeVolumeText(surge)

  const onOpen = (event: MouseEvent<HTMLAnchorElement>) => {
    if (!isPlainClick(event)) return
    event.preventDefault()
    navigate(surgesPath)
    // Already on the dashboard: the address does not change, so bring the panel into view here.
    document.getElementById(surgesAnchor)?.scrollIntoView?.({ block: 'start' })
    dismiss(toast.id)
  }

  if (isCompact) {
    return (
      <a className="toast-entry toast-surge" href={surgesPath} onClick={onOpen}>
        <span className="toast-title">{surgeTitle(surge)}</span>
        <span className="toast-preview">{details}</span>
      </a>
    )
  }
  return (
    <li className="toast toast-surge">
      <p className="toast-title">{surgeTitle(surge)}</p>
      <p className="toast-preview">{details}</p>
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
