import { useEffect, useMemo } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { TeamMember } from '../../store/members.slice'
import { useStore } from '../../store/store'

/** The teammates a search can be narrowed to: whoever works the teams the person sees (admins: every team), by name. */
export function useSearchAgents(): TeamMember[] {
  const role = useStore((s) => s.session?.user.role)
  const ownTeamIds = useStore(useShallow((s) => s.session?.user.teamIds ?? []))
  const teams = useStore((s) => s.teams)
  const hasTeamsError = useStore((s) => s.teamsError !== null)
  const loadTeams = useStore((s) => s.loadTeams)
  const loadMembers = useStore((s) => s.loadTeamMembers)
  // Admins see every team's conversations, whether or not they belong to it.
  const teamIds = useMemo(() => (role === 'admin' ? (teams ?? []).map((t) => t.id) : ownTeamIds), [role, teams, ownTeamIds])
  const members = useStore(useShallow((s) => teamIds.flatMap((id) => s.membersByTeam[id] ?? [])))
  const missing = useStore(useShallow((s) => teamIds.filter((id) => !s.membersByTeam[id] && s.membersErrors[id] === undefined)))

  useEffect(() => {
    if (role === 'admin' && teams === null && !hasTeamsError) void loadTeams()
  }, [role, teams, hasTeamsError, loadTeams])
  useEffect(() => {
    for (const id of missing) void loadMembers(id)
  }, [missing, loadMembers])

  return useMemo(() => {
    const byId = new Map(members.map((m) => [m.id, m]))
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name))
  }, [members])
}
