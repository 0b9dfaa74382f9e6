import { auditTargetLabel, type AuditEntry } from '@carebox/shared'
import type { MouseEvent } from 'react'
import { formatFullDateTime } from '../../components/formatTime'
import { conversationPath } from '../../store/router.slice'
import { useStore } from '../../store/store'

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

/** The conversation a target opens in the inbox, when it is one. */
function conversationOf(entry: AuditEntry): string | null {
  return entry.targetType === 'conversation' && entry.targetId ? entry.targetId : null
}

/** "Channel Acme Telegram bot", "Conversation with Ana Souza": names are the platform's or a person's text, shown as text. */
function Target({ entry }: { entry: AuditEntry }) {
  const open = useStore((s) => s.openConversation)
  if (!entry.targetType) return <span className="muted">—</span>
  const label = auditTargetLabel(entry.targetType)
  const name = entry.targetName ?? <span className="muted">(no longer exists)</span>
  const conversationId = conversationOf(entry)
  const onOpen = (event: MouseEvent<HTMLAnchorElement>) => {
    if (!conversationId || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    open(conversationId)
  }
  return (
    // The id stays at hand for whoever needs to look further.
    <span className="audit-target" title={entry.targetId ? `${entry.targetType} ${entry.targetId}` : undefined}>
      <span className="muted">{label}</span>{' '}
      {conversationId ? (
        <a href={conversationPath(conversationId)} onClick={onOpen}>
          {name}
        </a>
      ) : (
        name
      )}
    </span>
  )
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
      <td title={entry.action}>{entry.actionLabel}</td>
      <td>
        <Target entry={entry} />
      </td>
      <td title={entry.userAgent ?? undefined}>{entry.ip ?? <span className="muted">—</span>}</td>
    </tr>
  )
}
