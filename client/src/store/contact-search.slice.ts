import { contactsApi, type ContactMatch } from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export type ContactMatchItem = Static<typeof ContactMatch>

/** The server searches from this many characters on. */
export const minContactQueryLength = contactsApi.search.schema.querystring.properties.q.minLength ?? 2

export interface ContactSearchSlice {
  /** Customers found for the last search (to merge with), or null when not searching. */
  contactSearch: { q: string; items: ContactMatchItem[] | null; error: string | null } | null
  searchContacts(q: string): Promise<void>
  clearContactSearch(): void
}

export const createContactSearchSlice: StateCreator<AppState, [], [], ContactSearchSlice> = (set) => {
  // Only the newest search may write: an older answer arriving late is dropped.
  let latest = 0
  return {
    contactSearch: null,
    async searchContacts(q) {
      const request = ++latest
      if (q.trim().length < minContactQueryLength) {
        set({ contactSearch: null })
        return
      }
      set((s) => ({ contactSearch: { q, items: s.contactSearch?.items ?? null, error: null } }))
      try {
        const { items } = await call(contactsApi.search, { query: { q: q.trim() } })
        if (request === latest) set({ contactSearch: { q, items, error: null } })
      } catch (error) {
        if (request === latest) set({ contactSearch: { q, items: null, error: (error as Error).message } })
      }
    },
    clearContactSearch() {
      latest += 1
      set({ contactSearch: null })
    },
  }
}
