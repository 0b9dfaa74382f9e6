import { teamsApi, type Team } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export interface TeamsSlice {
  /** null until first loaded. */
  teams: Team[] | null
  teamsError: string | null
  loadTeams(): Promise<void>
  /** Resolve with an error message to show, or null on success. */
  createTeam(name: string): Promise<string | null>
  renameTeam(id: string, name: string): Promise<string | null>
}

export const createTeamsSlice: StateCreator<AppState, [], [], TeamsSlice> = (set) => ({
  teams: null,
  teamsError: null,
  async loadTeams() {
    try {
      const { items } = await call(teamsApi.list)
      set({ teams: items, teamsError: null })
    } catch (error) {
      set({ teamsError: (error as Error).message })
    }
  },
  async createTeam(name) {
    try {
      const created = await call(teamsApi.create, { body: { name } })
      set((s) => ({ teams: [...(s.teams ?? []), created] }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async renameTeam(id, name) {
    try {
      const renamed = await call(teamsApi.update, { params: { id }, body: { name } })
      set((s) => ({ teams: (s.teams ?? []).map((t) => (t.id === id ? renamed : t)) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
})
