import { channelKindNames, channelKinds, roleLabels, type Agent } from '@carebox/shared'
import { useState } from 'react'
import { AgentRoutingForm } from './AgentRoutingForm'
import { PresenceStatus } from './PresenceStatus'

const columnCount = 7

function capsText(agent: Agent): string {
  const caps = channelKinds.flatMap((kind) => {
    const cap = agent.capacityByKind[kind]
    return cap === undefined ? [] : [`${channelKindNames[kind]} ${cap}`]
  })
  return caps.length > 0 ? caps.join(', ') : '—'
}

export function AgentRow({ agent }: { agent: Agent }) {
  const [isEditing, setEditing] = useState(false)
  const isFull = agent.load >= agent.capacity

  return (
    <>
      <tr aria-label={agent.name}>
        <td>
          <strong>{agent.name}</strong>
          {agent.role !== 'agent' && <span className="muted"> · {roleLabels[agent.role]}</span>}
        </td>
        <td>
          <PresenceStatus presence={agent.presence} since={agent.presenceAt} />
        </td>
        <td className={isFull ? 'agent-load agent-load-full' : 'agent-load'}>
          {agent.load} / {agent.capacity}
        </td>
        <td>{capsText(agent)}</td>
        <td>{agent.languages.length > 0 ? agent.languages.join(', ') : 'Any'}</td>
        <td>{agent.channelKinds.length > 0 ? agent.channelKinds.map((kind) => channelKindNames[kind]).join(', ') : 'Any'}</td>
        <td>
          <div className="row-actions">
            <button type="button" aria-label={`Edit ${agent.name}`} onClick={() => setEditing(!isEditing)}>
              {isEditing ? 'Close' : 'Edit'}
            </button>
          </div>
        </td>
      </tr>
      {isEditing && (
        <tr className="detail-row">
          <td colSpan={columnCount}>
            <AgentRoutingForm agent={agent} onDone={() => setEditing(false)} />
          </td>
        </tr>
      )}
    </>
  )
}
