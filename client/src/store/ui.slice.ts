import type { StateCreator } from 'zustand'
import type { ComposerMode } from './drafts.slice'
import { selectOpenConversationId } from './router.slice'
import type { AppState } from './store'

export interface UiSlice {
  /** The list row the keyboard is on (j/k); Enter opens it. */
  selectedConversationId: string | null
  isShortcutHelpOpen: boolean
  /** A request to focus the composer in a mode; `nonce` changes with every request. */
  composerFocus: { mode: ComposerMode; nonce: number } | null
  selectConversation(id: string | null): void
  /** Moves the keyboard selection down (1) or up (-1) the list. */
  moveSelection(step: 1 | -1): void
  setShortcutHelpOpen(isOpen: boolean): void
  focusComposer(mode: ComposerMode): void
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  selectedConversationId: null,
  isShortcutHelpOpen: false,
  composerFocus: null,
  selectConversation(id) {
    if (get().selectedConversationId !== id) set({ selectedConversationId: id })
  },
  moveSelection(step) {
    const order = get().conversationOrder
    if (order.length === 0) return
    // Without a selection, the keyboard starts from the conversation open on screen.
    const index = order.indexOf(get().selectedConversationId ?? selectOpenConversationId(get()) ?? '')
    const next = index === -1 ? (step === 1 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, index + step))
    set({ selectedConversationId: order[next] ?? null })
  },
  setShortcutHelpOpen(isOpen) {
    set({ isShortcutHelpOpen: isOpen })
  },
  focusComposer(mode) {
    const open = selectOpenConversationId(get())
    if (open) get().setComposerMode(open, mode)
    set((s) => ({ composerFocus: { mode, nonce: (s.composerFocus?.nonce ?? 0) + 1 } }))
  },
})
