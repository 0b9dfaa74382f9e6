import { teamsApi, type ConversationSummary } from '@carebox/shared'
import { useEffect, useState } from 'react'
import { call } from '../../api/http'

type Team = { id: string; name: string }

/** Moves the conversation to another team's queue. Lists every team, since any of them can take it over. */
export function TransferControl({ conversation, onTransfer }: { conversation: ConversationSummary; onTransfer: (teamId: string) => void }) {
  const [teams, setTeams] = useState<Team[] | null>(null)
  useEffect(() => {
    let isCurrent = true
    call(teamsApi.directory)
      .then((answer) => isCurrent && setTeams(answer.items))
      .catch(() => isCurrent && setTeams([]))
    return () => {
      isCurrent = false
    }
  }, [])
  const others = (teams ?? []).filter((team) => team.id !== conversation.teamId)
  if (others.length === 0) return null
  return (
    <select
      className="transfer-select"
      aria-label="Move to another team"
      value=""
      onChange={(event) => {
        if (event.target.value) onTransfer(event.target.value)
      }}
    >
      <option value="">Move to team…</option>
      {others.map((team) => (
        <option key={team.id} value={team.id}>
          {team.name}
        </option>
      ))}
    </select>
  )
}
