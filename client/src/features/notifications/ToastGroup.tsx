import { useId, useState } from 'react'
import type { Toast } from '../../store/notifications.slice'
import { useStore } from '../../store/store'
import { SurgeToastItem } from './SurgeToastItem'
import { ToastItem } from './ToastItem'

function CompactItem({ toast }: { toast: Toast }) {
  return 'surge' in toast ? <SurgeToastItem toast={toast} isCompact /> : <ToastItem toast={toast} isCompact />
}

/** Several notices as one card: how many, the newest named, every one behind "Show all", and one "Dismiss all". */
export function ToastGroup({ toasts }: { toasts: Toast[] }) {
  const dismissAll = useStore((s) => s.dismissAllToasts)
  const [isExpanded, setExpanded] = useState(false)
  const listId = useId()
  const newestFirst = [...toasts].reverse()

  return (
    <div className="toast toast-group">
      <p className="toast-count">{`${toasts.length} new notifications`}</p>
      {isExpanded ? (
        <ul id={listId} className="toast-list">
          {newestFirst.map((toast) => (
            <li key={toast.id}>
              <CompactItem toast={toast} />
            </li>
          ))}
        </ul>
      ) : (
        <CompactItem toast={newestFirst[0]!} />
      )}
      <div className="toast-actions">
        <button
          type="button"
          className="link"
          aria-expanded={isExpanded}
          aria-controls={isExpanded ? listId : undefined}
          onClick={() => setExpanded(!isExpanded)}
        >
          Show all
        </button>
        <button type="button" className="toast-dismiss" onClick={dismissAll}>
          Dismiss all
        </button>
      </div>
    </div>
  )
}
