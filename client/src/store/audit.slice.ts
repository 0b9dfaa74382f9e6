import { auditApi, type AuditEntry, type AuditFacets } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

/** The audit log's filters as the form holds them; '' is "any". Dates are local calendar days (YYYY-MM-DD), both included. */
export interface AuditFilters {
  /** A person's or a token's id, or 'system'. */
  actor: string
  action: string
  /** Words to find in the action or the target. */
  q: string
  from: string
  to: string
}

export const noAuditFilters: AuditFilters = { actor: '', action: '', q: '', from: '', to: '' }

export interface AuditSlice {
  /** Newest first; null until first loaded. */
  auditEntries: AuditEntry[] | null
  /** Pass as `cursor` to fetch the page after the last one shown; null when there is nothing older. */
  auditNextCursor: string | null
  /** The filters the entries shown were loaded with. */
  auditFilters: AuditFilters
  auditError: string | null
  isLoadingAudit: boolean
  /** Who and what the filters offer; null until loaded. */
  auditFacets: AuditFacets | null
  loadAudit(filters: AuditFilters): Promise<void>
  loadOlderAudit(): Promise<void>
  loadAuditFacets(): Promise<void>
}

/** Midnight at the start of a local calendar day, as the API's instant. */
function startOfDay(day: string, plusDays = 0): string {
  const [year, month, date] = day.split('-').map(Number)
  return new Date(year!, month! - 1, date! + plusDays).toISOString()
}

/** The API's query for the filters: the `to` day is included, so the range ends at the start of the day after. */
function queryOf(filters: AuditFilters) {
  return {
    ...(filters.actor && { actor: filters.actor }),
    ...(filters.action && { action: filters.action }),
    ...(filters.q.trim() && { q: filters.q.trim() }),
    ...(filters.from && { from: startOfDay(filters.from) }),
    ...(filters.to && { to: startOfDay(filters.to, 1) }),
  }
}

export const createAuditSlice: StateCreator<AppState, [], [], AuditSlice> = (set, get) => ({
  auditEntries: null,
  auditNextCursor: null,
  auditFilters: noAuditFilters,
  auditError: null,
  isLoadingAudit: false,
  auditFacets: null,
  async loadAudit(filters) {
    set({ isLoadingAudit: true, auditFilters: filters })
    try {
      const page = await call(auditApi.list, { query: queryOf(filters) })
      // A slower answer to filters changed since is not shown over the newer one.
      if (get().auditFilters !== filters) return
      set({ auditEntries: page.items, auditNextCursor: page.nextCursor, auditError: null, isLoadingAudit: false })
    } catch (error) {
      if (get().auditFilters === filters) set({ auditError: (error as Error).message, isLoadingAudit: false })
    }
  },
  async loadOlderAudit() {
    const { auditFilters: filters, auditNextCursor: cursor } = get()
    if (!cursor) return
    set({ isLoadingAudit: true })
    try {
      const page = await call(auditApi.list, { query: { ...queryOf(filters), cursor } })
      if (get().auditFilters !== filters) return
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
  async loadAuditFacets() {
    try {
      set({ auditFacets: await call(auditApi.facets) })
    } catch (error) {
      set({ auditError: (error as Error).message })
    }
  },
})
