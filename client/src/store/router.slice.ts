import type { StateCreator } from 'zustand'
import type { AppState } from './store'

export type Section = 'inbox' | 'dashboard' | 'settings'

/**
 * What a path shows: the sign-in page, a single-use link's page, the wall screen (TV mode, without the console
 * around it), or a section of the signed-in console.
 */
export type Route = { page: 'login' } | { page: 'join'; token: string } | { page: 'wallboard' } | { page: 'console'; section: Section }

export interface RouterSlice {
  path: string
  navigate(path: string): void
  /** Changes the URL without adding a history entry (redirects). */
  replacePath(path: string): void
  /** Called on popstate, when the browser's back/forward changed the URL. */
  syncPath(path: string): void
}

export function sectionOf(path: string): Section {
  if (path.startsWith('/dashboard')) return 'dashboard'
  if (path.startsWith('/settings')) return 'settings'
  return 'inbox'
}

const conversationPathPattern = /^\/inbox\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i

/** The inbox with one conversation open: the address a teammate can be sent. */
export function conversationPath(id: string | null): string {
  return id ? `/inbox/${id}` : '/inbox'
}

/** The conversation a path opens, or null. */
export function conversationIdOf(path: string): string | null {
  return conversationPathPattern.exec(path)?.[1]?.toLowerCase() ?? null
}

/** The conversation open on screen: the URL says which, so back/forward and shared links work. */
export const selectOpenConversationId = (s: { path: string }): string | null => conversationIdOf(s.path)

export function routeOf(path: string): Route {
  if (path === '/login') return { page: 'login' }
  const join = /^\/join\/([^/]+)\/?$/.exec(path)
  if (join?.[1]) return { page: 'join', token: join[1] }
  if (/^\/wallboard(?:[/?#]|$)/.test(path)) return { page: 'wallboard' }
  return { page: 'console', section: sectionOf(path) }
}

export const createRouterSlice: StateCreator<AppState, [], [], RouterSlice> = (set, get) => ({
  path: typeof window === 'undefined' ? '/' : window.location.pathname,
  navigate(path) {
    if (path === get().path) return
    window.history.pushState(null, '', path)
    set({ path })
  },
  replacePath(path) {
    if (path === get().path) return
    window.history.replaceState(null, '', path)
    set({ path })
  },
  syncPath(path) {
    set({ path })
  },
})
