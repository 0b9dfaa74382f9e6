import { followUpsApi, type FollowUp } from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export type FollowUpInput = Static<typeof followUpsApi.create.schema.body>

export interface FollowUpsSlice {
  /** Each opened conversation's follow-ups as last loaded: the scheduled one first, then the latest done or cancelled. */
  followUpsByConversation: Record<string, FollowUp[]>
  followUpErrors: Record<string, string>
  /** Which conversation's follow-up dialog is open (f, or "Follow up…" in its header); null when none is. */
  followUpDialogFor: string | null
  loadFollowUps(conversationId: string): Promise<void>
  /** Schedules one, replacing the scheduled one; resolves with the server's refusal to show, or null. */
  scheduleFollowUp(conversationId: string, input: FollowUpInput): Promise<string | null>
  cancelFollowUp(conversationId: string, followUpId: string): Promise<string | null>
  setFollowUpDialog(conversationId: string | null): void
}

export const createFollowUpsSlice: StateCreator<AppState, [], [], FollowUpsSlice> = (set, get) => {
  // Per conversation, only the newest list request may write: a follow-up's changes arrive in quick succession.
  const requests = new Map<string, number>()
  const show = (conversationId: string, items: FollowUp[]) =>
    set((s) => {
      const { [conversationId]: _cleared, ...followUpErrors } = s.followUpErrors
      return { followUpsByConversation: { ...s.followUpsByConversation, [conversationId]: items }, followUpErrors }
    })

  return {
    followUpsByConversation: {},
    followUpErrors: {},
    followUpDialogFor: null,
    async loadFollowUps(conversationId) {
      const request = (requests.get(conversationId) ?? 0) + 1
      requests.set(conversationId, request)
      try {
        const { items } = await call(followUpsApi.list, { params: { id: conversationId } })
        if (requests.get(conversationId) === request) show(conversationId, items)
      } catch (error) {
        if (requests.get(conversationId) === request) {
          set((s) => ({ followUpErrors: { ...s.followUpErrors, [conversationId]: (error as Error).message } }))
        }
      }
    },
    async scheduleFollowUp(conversationId, input) {
      try {
        const created = await call(followUpsApi.create, { params: { id: conversationId }, body: input })
        // Shown at once; the list read next says what became of the one it replaced.
        show(conversationId, [created, ...(get().followUpsByConversation[conversationId] ?? []).filter((f) => f.status !== 'scheduled')])
        void get().loadFollowUps(conversationId)
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    async cancelFollowUp(conversationId, followUpId) {
      try {
        const cancelled = await call(followUpsApi.cancel, { params: { id: conversationId, followUpId } })
        show(conversationId, [cancelled, ...(get().followUpsByConversation[conversationId] ?? []).filter((f) => f.id !== followUpId)])
        return null
      } catch (error) {
        // Usually it came due or the customer wrote meanwhile: show what it is now.
        void get().loadFollowUps(conversationId)
        return (error as Error).message
      }
    },
    setFollowUpDialog(conversationId) {
      set({ followUpDialogFor: conversationId })
    },
  }
}
