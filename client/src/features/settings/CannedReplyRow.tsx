import type { CannedReply } from '@carebox/shared'
import { useState } from 'react'
import { ConfirmButton } from '../../components/ConfirmButton'
import { useStore } from '../../store/store'
import { CannedReplyForm } from './CannedReplyForm'

const columnCount = 5

export function CannedReplyRow({ reply }: { reply: CannedReply }) {
  const teamName = useStore((s) => (reply.teamId === null ? 'Everyone' : (s.teams?.find((t) => t.id === reply.teamId)?.name ?? '—')))
  const remove = useStore((s) => s.removeCannedReply)
  const [isEditing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)

  return (
    <>
      <tr aria-label={`/${reply.shortcut}`}>
        <td>
          <code>/{reply.shortcut}</code>
        </td>
        <td>{reply.title}</td>
        <td>{teamName}</td>
        <td>
          <span className="canned-body-preview" title={reply.body}>
            {reply.body}
          </span>
        </td>
        <td>
          <div className="row-actions">
            <button type="button" onClick={() => setEditing(!isEditing)}>
              {isEditing ? 'Close' : 'Edit'}
            </button>
            <ConfirmButton
              label="Delete"
              question={`Delete /${reply.shortcut}? Agents can no longer insert it.`}
              confirmLabel="Yes, delete"
              onConfirm={() => void remove(reply.id).then(setError)}
            />
          </div>
        </td>
      </tr>
      {(isEditing || error) && (
        <tr className="detail-row">
          <td colSpan={columnCount}>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
            {isEditing && <CannedReplyForm reply={reply} onDone={() => setEditing(false)} />}
          </td>
        </tr>
      )}
    </>
  )
}
