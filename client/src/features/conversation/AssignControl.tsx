import { hasRole, type ConversationSummary } from '@carebox/shared'
import { useEffect } from 'react'
import { useStore } from '../../store/store'

/**
 * Who works the conversation. Agents may claim it or let it go; leads and admins pick anyone who can work it:
 * the members of its team and the admins.
 */
export function AssignControl({ conversation, onAssign }: { conversation: ConversationSummary; onAssign: (assigneeId: string | null) => void }) {
  const { teamId, assignee } = conversation
  const me = useStore((s) => s.session?.user)
  const canAssignOthers = useStore((s) => s.session !== null && hasRole(s.session.user.role, 'lead'))
  const members = useStore((s) => s.membersByTeam[teamId])
  const hasMembersError = useStore((s) => s.membersErrors[teamId] !== undefined)
  const loadMembers = useStore((s) => s.loadTeamMembers)

  useEffect(() => {
    if (canAssignOthers && !members && !hasMembersError) void loadMembers(teamId)
  }, [canAssignOthers, members, hasMembersError, loadMembers, teamId])

  if (!me) return null
  const isMine = assignee?.id === me.id
  const claim = !isMine && (
    <button type="button" onClick={() => onAssign(me.id)}>
      Assign to me
    </button>
  )

  if (canAssignOthers && members) {
    // Someone who left the team keeps showing as the assignee until someone else is picked.
    const options = assignee && !members.some((m) => m.id === assignee.id) ? [...members, assignee] : members
    return (
      <>
        {claim}
        <select value={assignee?.id ?? ''} onChange={(event) => onAssign(event.target.value || null)} aria-label="Assignee">
          <option value="">Unassigned</option>
          {options.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </>
    )
  }
  return (
    claim || (
      <button type="button" onClick={() => onAssign(null)}>
        Unassign
      </button>
    )
  )
}
