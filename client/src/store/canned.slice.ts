import { cannedRepliesApi, type CannedReply } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

/** What a person writes for a canned reply; `teamId` null means everyone's. */
export type CannedReplyDraft = Pick<CannedReply, 'shortcut' | 'title' | 'body' | 'teamId'>

export interface CannedRepliesSlice {
  /** The replies this user may use, ordered by shortcut (as the server answers them); null until first loaded. */
  cannedReplies: CannedReply[] | null
  cannedRepliesError: string | null
  loadCannedReplies(): Promise<void>
  /** Resolve with an error message to show, or null on success. */
  createCannedReply(draft: CannedReplyDraft): Promise<string | null>
  updateCannedReply(id: string, changes: Partial<CannedReplyDraft>): Promise<string | null>
  removeCannedReply(id: string): Promise<string | null>
}

function byShortcut(replies: CannedReply[]): CannedReply[] {
  return replies.sort((a, b) => (a.shortcut < b.shortcut ? -1 : a.shortcut > b.shortcut ? 1 : 0))
}

export const createCannedRepliesSlice: StateCreator<AppState, [], [], CannedRepliesSlice> = (set) => ({
  cannedReplies: null,
  cannedRepliesError: null,
  async loadCannedReplies() {
    try {
      const { items } = await call(cannedRepliesApi.list)
      set({ cannedReplies: items, cannedRepliesError: null })
    } catch (error) {
      set({ cannedRepliesError: (error as Error).message })
    }
  },
  async createCannedReply(draft) {
    try {
      const created = await call(cannedRepliesApi.create, { body: draft })
      set((s) => ({ cannedReplies: byShortcut([...(s.cannedReplies ?? []), created]) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async updateCannedReply(id, changes) {
    try {
      const updated = await call(cannedRepliesApi.update, { params: { id }, body: changes })
      set((s) => ({ cannedReplies: byShortcut((s.cannedReplies ?? []).map((r) => (r.id === id ? updated : r))) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async removeCannedReply(id) {
    try {
      await call(cannedRepliesApi.remove, { params: { id } })
      set((s) => ({ cannedReplies: (s.cannedReplies ?? []).filter((r) => r.id !== id) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
})
