import { useStore } from '../../store/store'
import { breakpoints, useMediaQuery } from '../shell/useMediaQuery'

/**
 * At the top of the customer panel. Beside the conversation it folds the panel away to give the thread the room
 * (and unfolds it), remembered on this device; over the conversation, on a narrow screen, it closes it.
 */
export function CustomerPanelToggle() {
  const isBeside = useMediaQuery(breakpoints.customerPanelBeside, true)
  const isCollapsed = useStore((s) => s.isCustomerPanelCollapsed)
  const setCollapsed = useStore((s) => s.setCustomerPanelCollapsed)
  const setCustomerSheetFor = useStore((s) => s.setCustomerSheetFor)
  if (!isBeside) {
    return (
      <button type="button" className="side-toggle" aria-label="Close customer details" onClick={() => setCustomerSheetFor(null)}>
        Close <span aria-hidden="true">×</span>
      </button>
    )
  }
  return (
    <button type="button" className="side-toggle" aria-expanded={!isCollapsed} aria-controls="conversation-side" onClick={() => setCollapsed(!isCollapsed)}>
      {isCollapsed ? (
        <>
          <span aria-hidden="true">‹</span> Show customer panel
        </>
      ) : (
        <>
          Hide customer panel <span aria-hidden="true">›</span>
        </>
      )}
    </button>
  )
}
