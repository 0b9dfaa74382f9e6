import type { AuditEntry } from '@carebox/shared'
import { formatFullDateTime } from '../../components/formatTime'

function Actor({ actor }: { actor: AuditEntry['actor'] }) {
  switch (actor.kind) {
    case 'user':
      return (
        <>
          {actor.name} <span className="muted">{actor.email}</span>
        </>
      )
    case 'token':
      return <>API token {actor.name}</>
    case 'system':
      // Nobody known: a failed sign-in, or Carebox itself.
      return <span className="muted">No one signed in</span>
  }
}

export function AuditRow({ entry }: { entry: AuditEntry }) {
  const at = new Date(entry.at)
  return (
    <tr>
      <td>
        <time dateTime={entry.at}>{formatFullDateTime(at)}</time>
      </td>
      <td>
        <Actor actor={entry.actor} />
      </td>
      <td>
        <code>{entry.action}</code>
      </td>
      <td>{entry.targetType ? `${entry.targetType} ${entry.targetId ?? ''}`.trim() : <span className="muted">—</span>}</td>
      <td title={entry.userAgent ?? undefined}>{entry.ip ?? <span className="muted">—</span>}</td>
    </tr>
  )
}
