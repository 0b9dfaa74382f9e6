import type { StateCreator } from 'zustand'
import type { AppState } from './store'

export type Section = 'inbox' | 'dashboard' | 'settings'

export interface RouterSlice {
  path: string
  navigate(path: string): void
  /** Called on popstate, when the browser's back/forward changed the URL. */
  syncPath(path: string): void
}

export function sectionOf(path: string): Section {
  if (path.startsWith('/dashboard')) return 'dashboard'
  if (path.startsWith('/settings')) return 'settings'
  return 'inbox'
}

export const createRouterSlice: StateCreator<AppState, [], [], RouterSlice> = (set, get) => ({
  path: typeof window === 'undefined' ? '/' : window.location.pathname,
  navigate(path) {
    if (path === get().path) return
    window.history.pushState(null, '', path)
    set({ path })
  },
  syncPath(path) {
    set({ path })
  },
})
