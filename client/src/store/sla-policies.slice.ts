import { slaPoliciesApi, type SlaPolicy } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

/** What a lead writes for a policy; its place in the list is set by moving it. */
export type SlaPolicyDraft = Pick<SlaPolicy, 'name' | 'enabled' | 'conditions' | 'targets'>

export interface SlaPoliciesSlice {
  /** In the order they are tried (the first enabled one that matches applies); null until first loaded. */
  slaPolicies: SlaPolicy[] | null
  slaPoliciesError: string | null
  loadSlaPolicies(): Promise<void>
  /** Resolve with an error message to show, or null on success. */
  createSlaPolicy(draft: SlaPolicyDraft): Promise<string | null>
  updateSlaPolicy(id: string, changes: Partial<SlaPolicyDraft>): Promise<string | null>
  /** One place earlier (-1) or later (+1) in the order. */
  moveSlaPolicy(id: string, offset: -1 | 1): Promise<string | null>
  removeSlaPolicy(id: string): Promise<string | null>
}

function byPosition(policies: SlaPolicy[]): SlaPolicy[] {
  return policies.sort((a, b) => a.position - b.position)
}

/** The ids in their new order, or null when the move would leave the list. */
export function movedIds(ids: readonly string[], id: string, offset: -1 | 1): string[] | null {
  const from = ids.indexOf(id)
  const to = from + offset
  if (from < 0 || to < 0 || to >= ids.length) return null
  const next = [...ids]
  next.splice(from, 1)
  next.splice(to, 0, id)
  return next
}

export const createSlaPoliciesSlice: StateCreator<AppState, [], [], SlaPoliciesSlice> = (set, get) => ({
  slaPolicies: null,
  slaPoliciesError: null,
  async loadSlaPolicies() {
    try {
      const { items } = await call(slaPoliciesApi.list)
      set({ slaPolicies: byPosition(items), slaPoliciesError: null })
    } catch (error) {
      set({ slaPoliciesError: (error as Error).message })
    }
  },
  async createSlaPolicy(draft) {
    try {
      const created = await call(slaPoliciesApi.create, { body: draft })
      set((s) => ({ slaPolicies: byPosition([...(s.slaPolicies ?? []), created]) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async updateSlaPolicy(id, changes) {
    try {
      const updated = await call(slaPoliciesApi.update, { params: { id }, body: changes })
      set((s) => ({ slaPolicies: byPosition((s.slaPolicies ?? []).map((p) => (p.id === id ? updated : p))) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async moveSlaPolicy(id, offset) {
    // The server wants every id once: the whole order, not a single move.
    const ids = movedIds(
      (get().slaPolicies ?? []).map((p) => p.id),
      id,
      offset,
    )
    if (!ids) return null
    try {
      const { items } = await call(slaPoliciesApi.reorder, { body: { ids } })
      set({ slaPolicies: byPosition(items) })
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async removeSlaPolicy(id) {
    try {
      await call(slaPoliciesApi.remove, { params: { id } })
      set((s) => ({ slaPolicies: (s.slaPolicies ?? []).filter((p) => p.id !== id) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
})
