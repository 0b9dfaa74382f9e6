import { routingApi, type Agent, type ChannelKind, type Presence, type TeamRouting } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export type TeamRoutingChanges = Partial<Pick<TeamRouting, 'timeZone' | 'businessHours' | 'autoAssign'>>

/** What a lead may change about a teammate: how much they take, and which conversations they can take. */
export interface AgentRoutingChanges {
  capacity?: number
  /** Only the kinds with a cap of their own; a kind left out is bounded by the overall capacity alone. */
  capacityByKind?: Partial<Record<ChannelKind, number>>
  languages?: string[]
  channelKinds?: ChannelKind[]
}

export interface RoutingSlice {
  /** The teams this user leads or belongs to (every team for admins); null until first loaded. */
  routingTeams: TeamRouting[] | null
  /** Teammates with their presence, load, capacity and skills; null until first loaded. */
  routingAgents: Agent[] | null
  routingError: string | null
  loadRouting(): Promise<void>
  /** Loads the teams' hours only (a follow-up's "when the team opens"); a failure leaves them unknown. */
  loadRoutingTeams(): Promise<void>
  /** Resolve with an error message to show, or null on success. */
  updateTeamRouting(teamId: string, changes: TeamRoutingChanges): Promise<string | null>
  updateAgentRouting(id: string, changes: AgentRoutingChanges): Promise<string | null>
  /** A teammate went online, away or offline (the socket's `presence.updated`): since now. */
  applyPresence(userId: string, presence: Presence): void
}

/**
 * The latest presence each person was announced in, and when: a list read from the server while an announcement
 * was on its way would otherwise show the state from before it.
 */
const announced = new Map<string, { presence: Presence; at: number; presenceAt: string }>()

export const createRoutingSlice: StateCreator<AppState, [], [], RoutingSlice> = (set, get) => ({
  routingTeams: null,
  routingAgents: null,
  routingError: null,
  async loadRouting() {
    const asked = Date.now()
    try {
      const [teams, agents] = await Promise.all([call(routingApi.teams), call(routingApi.agents)])
      const items = agents.items.map((agent) => {
        const latest = announced.get(agent.id)
        return latest && latest.at >= asked ? { ...agent, presence: latest.presence, presenceAt: latest.presenceAt } : agent
      })
      set({ routingTeams: teams.items, routingAgents: items, routingError: null })
    } catch (error) {
      set({ routingError: (error as Error).message })
    }
  },
  async loadRoutingTeams() {
    try {
      const { items } = await call(routingApi.teams)
      set({ routingTeams: items })
    } catch {
      // Without them a follow-up offers 9:00 in the agent's own time instead.
    }
  },
  async updateTeamRouting(teamId, changes) {
    try {
      const updated = await call(routingApi.updateTeam, { params: { teamId }, body: changes })
      set((s) => ({ routingTeams: (s.routingTeams ?? []).map((t) => (t.teamId === teamId ? updated : t)) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async updateAgentRouting(id, changes) {
    try {
      const updated = await call(routingApi.updateAgent, { params: { id }, body: changes })
      set((s) => ({ routingAgents: (s.routingAgents ?? []).map((a) => (a.id === id ? updated : a)) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  applyPresence(userId, presence) {
    const presenceAt = new Date().toISOString()
    announced.set(userId, { presence, at: Date.now(), presenceAt })
    const agents = get().routingAgents
    // Not shown here (or not loaded yet): the load in flight takes it from `announced`; the same presence keeps its "since".
    if (!agents?.some((a) => a.id === userId && a.presence !== presence)) return
    set({ routingAgents: agents.map((a) => (a.id === userId ? { ...a, presence, presenceAt } : a)) })
  },
})
