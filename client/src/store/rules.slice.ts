import { rulesApi, type AutomationRule } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

/** What a lead writes for a rule. */
export type RuleDraft = Pick<AutomationRule, 'teamId' | 'name' | 'enabled' | 'trigger' | 'afterMinutes' | 'conditions' | 'actions'>

export interface RulesSlice {
  /** In the order they run; null until first loaded. */
  automationRules: AutomationRule[] | null
  automationRulesError: string | null
  loadRules(): Promise<void>
  /** Resolve with an error message to show, or null on success. */
  createRule(draft: RuleDraft): Promise<string | null>
  updateRule(id: string, changes: Partial<RuleDraft>): Promise<string | null>
  removeRule(id: string): Promise<string | null>
}

function byPosition(rules: AutomationRule[]): AutomationRule[] {
  return rules.sort((a, b) => a.position - b.position)
}

export const createRulesSlice: StateCreator<AppState, [], [], RulesSlice> = (set) => ({
  automationRules: null,
  automationRulesError: null,
  async loadRules() {
    try {
      const { items } = await call(rulesApi.list)
      set({ automationRules: byPosition(items), automationRulesError: null })
    } catch (error) {
      set({ automationRulesError: (error as Error).message })
    }
  },
  async createRule(draft) {
    try {
      const created = await call(rulesApi.create, { body: draft })
      set((s) => ({ automationRules: byPosition([...(s.automationRules ?? []), created]) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async updateRule(id, changes) {
    try {
      const updated = await call(rulesApi.update, { params: { id }, body: changes })
      set((s) => ({ automationRules: byPosition((s.automationRules ?? []).map((r) => (r.id === id ? updated : r))) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async removeRule(id) {
    try {
      await call(rulesApi.remove, { params: { id } })
      set((s) => ({ automationRules: (s.automationRules ?? []).filter((r) => r.id !== id) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
})
