import { auditApi, type AuditEntry } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export interface AuditSlice {
  /** Newest first; null until first loaded. */
  auditEntries: AuditEntry[] | null
  /** Pass as `cursor` to fetch the page after the last one shown; null when there is nothing older. */
  auditNextCursor: string | null
  /** The action filter the entries shown were loaded with ('' for all). */
  auditAction: string
  auditError: string | null
  isLoadingAudit: boolean
  loadAudit(action: string): Promise<void>
  loadOlderAudit(): Promise<void>
}

export const createAuditSlice: StateCreator<AppState, [], [], AuditSlice> = (set, get) => ({
  auditEntries: null,
  auditNextCursor: null,
  auditAction: '',
  auditError: null,
  isLoadingAudit: false,
  async loadAudit(action) {
    set({ isLoadingAudit: true, auditAction: action })
    try {
      const page = await call(auditApi.list, { query: action ? { action } : {} })
      set({ auditEntries: page.items, auditNextCursor: page.nextCursor, auditError: null, isLoadingAudit: false })
    } catch (error) {
      set({ auditError: (error as Error).message, isLoadingAudit: false })
    }
  },
  async loadOlderAudit() {
    const { auditAction: action, auditNextCursor: cursor } = get()
    if (!cursor) return
    set({ isLoadingAudit: true })
    try {
      const page = await call(auditApi.list, { query: { cursor, ...(action && { action }) } })
      set((s) => ({
        auditEntries: [...(s.auditEntries ?? []), ...page.items],
        auditNextCursor: page.nextCursor,
        auditError: null,
        isLoadingAudit: false,
      }))
    } catch (error) {
      set({ auditError: (error as Error).message, isLoadingAudit: false })
    }
  },
})
