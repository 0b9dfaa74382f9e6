import type { StateCreator } from 'zustand'
import type { AppState } from './store'

/** This device's choice, kept across reloads: a person who folds the panel away wants the room every day. */
const collapsedKey = 'carebox.customerPanel'

function readCollapsed(): boolean {
  try {
    return window.localStorage.getItem(collapsedKey) === 'collapsed'
  } catch {
    // Storage can be off (a private window, a policy): the panel is then simply open.
    return false
  }
}

function writeCollapsed(isCollapsed: boolean): void {
  try {
    window.localStorage.setItem(collapsedKey, isCollapsed ? 'collapsed' : 'open')
  } catch {
    // Not kept, but still applied for this visit.
  }
}

/**
 * How the inbox lays the customer panel out. Beside the conversation (wide screens) it can be folded away, and that
 * is remembered; over the conversation (narrow screens) it opens on request for one conversation and closes when
 * another is opened.
 */
export interface LayoutSlice {
  isCustomerPanelCollapsed: boolean
  /** The conversation whose customer panel is open over it, on a narrow screen. */
  customerSheetFor: string | null
  setCustomerPanelCollapsed(isCollapsed: boolean): void
  setCustomerSheetFor(conversationId: string | null): void
}

export const createLayoutSlice: StateCreator<AppState, [], [], LayoutSlice> = (set) => ({
  isCustomerPanelCollapsed: typeof window === 'undefined' ? false : readCollapsed(),
  customerSheetFor: null,
  setCustomerPanelCollapsed(isCollapsed) {
    writeCollapsed(isCollapsed)
    set({ isCustomerPanelCollapsed: isCollapsed })
  },
  setCustomerSheetFor(conversationId) {
    set({ customerSheetFor: conversationId })
  },
})
