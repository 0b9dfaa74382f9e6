import { useSyncExternalStore } from 'react'

/**
 * Where the console's layout changes, for the few controls that act differently on each side (the stylesheets use
 * the same widths: console.css).
 */
export const breakpoints = {
  /** From here the customer panel sits beside the conversation; below, it opens over it. */
  customerPanelBeside: '(min-width: 1100px)',
} as const

/**
 * Whether a media query matches now, following the window as it is resized. Without matchMedia (jsdom in tests)
 * it answers `fallback`.
 */
export function useMediaQuery(query: string, fallback: boolean): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = typeof window.matchMedia === 'function' ? window.matchMedia(query) : null
      list?.addEventListener('change', onChange)
      return () => list?.removeEventListener('change', onChange)
    },
    () => (typeof window.matchMedia === 'function' ? window.matchMedia(query).matches : fallback),
    () => fallback,
  )
}
