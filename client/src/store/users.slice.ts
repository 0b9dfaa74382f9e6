import { usersApi, type IssuedLink, type PendingInvite, type User } from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import { failed, type Outcome } from './outcome'
import type { AppState } from './store'

export type InviteInput = Static<typeof usersApi.invite.schema.body>
export type UserChanges = Static<typeof usersApi.update.schema.body>

export interface UsersSlice {
  /** null until first loaded. */
  users: User[] | null
  invites: PendingInvite[] | null
  usersError: string | null
  loadUsers(): Promise<void>
  /** The link is answered once and kept nowhere but on screen, so it is returned rather than stored. */
  inviteUser(input: InviteInput): Promise<Outcome<IssuedLink>>
  /** Resolve with an error message to show, or null on success. */
  withdrawInvite(id: string): Promise<string | null>
  updateUser(id: string, changes: UserChanges): Promise<string | null>
  setUserActive(id: string, isActive: boolean): Promise<string | null>
  resetPassword(id: string): Promise<Outcome<IssuedLink>>
}

export const createUsersSlice: StateCreator<AppState, [], [], UsersSlice> = (set) => {
  const replaceUser = (updated: User) =>
    set((s) => ({
      users: (s.users ?? []).map((u) => (u.id === updated.id ? updated : u)),
      // Changing yourself (your name, say) shows at once in the shell.
      session: s.session?.user.id === updated.id ? { ...s.session, user: updated } : s.session,
    }))

  return {
    users: null,
    invites: null,
    usersError: null,
    async loadUsers() {
      try {
        const { items, invites } = await call(usersApi.list)
        set({ users: items, invites, usersError: null })
      } catch (error) {
        set({ usersError: (error as Error).message })
      }
    },
    async inviteUser(input) {
      try {
        const { invite, link } = await call(usersApi.invite, { body: input })
        set((s) => ({ invites: [...(s.invites ?? []), invite] }))
        return { ok: true, value: link }
      } catch (error) {
        return failed(error)
      }
    },
    async withdrawInvite(id) {
      try {
        await call(usersApi.revokeInvite, { params: { id } })
        set((s) => ({ invites: (s.invites ?? []).filter((i) => i.id !== id) }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    async updateUser(id, changes) {
      try {
        replaceUser(await call(usersApi.update, { params: { id }, body: changes }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    async setUserActive(id, isActive) {
      try {
        replaceUser(await call(isActive ? usersApi.reactivate : usersApi.deactivate, { params: { id } }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    async resetPassword(id) {
      try {
        const { link } = await call(usersApi.resetPassword, { params: { id } })
        return { ok: true, value: link }
      } catch (error) {
        return failed(error)
      }
    },
  }
}
