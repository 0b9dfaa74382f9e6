import { teamsApi } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call, type CallOutput } from '../api/http'
import type { AppState } from './store'

/** Someone who can work a team's conversations: a member of the team, or an admin. */
export type TeamMember = CallOutput<typeof teamsApi.members>['items'][number]

export interface MembersSlice {
  /** Whom each team's conversations can be assigned to, or who can be @mentioned in them; by team id. */
  membersByTeam: Record<string, TeamMember[]>
  membersErrors: Record<string, string>
  loadTeamMembers(teamId: string): Promise<void>
}

export const createMembersSlice: StateCreator<AppState, [], [], MembersSlice> = (set) => {
  // One request per team at a time: the header and the composer may both ask at once.
  const pending = new Map<string, Promise<void>>()
  const load = async (teamId: string) => {
    try {
      const { items } = await call(teamsApi.members, { params: { id: teamId } })
      set((s) => {
        const { [teamId]: _cleared, ...membersErrors } = s.membersErrors
        return { membersByTeam: { ...s.membersByTeam, [teamId]: items }, membersErrors }
      })
    } catch (error) {
      set((s) => ({ membersErrors: { ...s.membersErrors, [teamId]: (error as Error).message } }))
    }
  }
  return {
    membersByTeam: {},
    membersErrors: {},
    loadTeamMembers(teamId) {
      const request = pending.get(teamId) ?? load(teamId).finally(() => pending.delete(teamId))
      pending.set(teamId, request)
      return request
    },
  }
}
