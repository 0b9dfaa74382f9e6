import type { ConversationSummary, FollowUp } from '@carebox/shared'
import { useEffect, useId, useState } from 'react'
import { formatDateTime, formatFullDateTime } from '../../components/formatTime'
import { useStore } from '../../store/store'
import './follow-ups.css'

/** How many done or cancelled follow-ups are listed under the scheduled one. */
const recentCount = 3

const statusLabels: Record<FollowUp['status'], string> = { scheduled: 'Scheduled', done: 'Done', cancelled: 'Cancelled' }

function DueTime({ at }: { at: string }) {
  return (
    <time dateTime={at} title={formatFullDateTime(at)}>
      {formatDateTime(at)}
    </time>
  )
}

/** What a follow-up will send at its time, in a few words. */
function PreparedSummary({ followUp, channelId }: { followUp: FollowUp; channelId: string }) {
  const templateName = useStore((s) => {
    const message = followUp.message
    return message?.kind === 'template' ? s.templatesByChannel[channelId]?.items.find((t) => t.id === message.templateId)?.name : undefined
  })
  if (!followUp.message) return null
  if (followUp.message.kind === 'template') {
    return <p className="follow-up-prepared">Prepared: the WhatsApp template {templateName ? <strong>{templateName}</strong> : null}</p>
  }
  return (
    <p className="follow-up-prepared">
      Prepared: <q dir="auto">{followUp.message.text}</q>
    </p>
  )
}

/**
 * The conversation's follow-up, if one is scheduled: when, the note, what will happen then and who set it, with
 * Cancel; and the last few that came due or were cancelled, with what became of them.
 */
export function FollowUps({ conversation }: { conversation: ConversationSummary }) {
  const { id } = conversation
  const items = useStore((s) => s.followUpsByConversation[id])
  const error = useStore((s) => s.followUpErrors[id])
  const load = useStore((s) => s.loadFollowUps)
  const cancel = useStore((s) => s.cancelFollowUp)
  const titleId = useId()
  // Why the last Cancel failed (it came due, or the customer wrote, meanwhile): cleared by the next try.
  const [cancelError, setCancelError] = useState<string | null>(null)
  const [isCancelling, setCancelling] = useState(false)

  useEffect(() => {
    void load(id)
  }, [id, load])

  if (!items) {
    return error ? (
      <p role="alert" className="error follow-ups-error">
        Could not load the follow-ups: {error}
      </p>
    ) : null
  }
  const scheduled = items.find((f) => f.status === 'scheduled')
  const recent = items.filter((f) => f.status !== 'scheduled').slice(0, recentCount)
  if (!scheduled && recent.length === 0) return null

  const cancelScheduled = async (followUp: FollowUp) => {
    setCancelling(true)
    setCancelError(null)
    const failure = await cancel(id, followUp.id)
    setCancelling(false)
    setCancelError(failure)
  }

  return (
    <section className="follow-ups" aria-labelledby={titleId}>
      <h3 id={titleId} className="visually-hidden">
        Follow-ups
      </h3>
      {scheduled && (
        <div className="follow-up-scheduled">
          <div className="follow-up-head">
            <span>
              <strong>Follow-up</strong> <DueTime at={scheduled.dueAt} />{' '}
              <span className="muted">· set by {scheduled.createdBy ? <bdi>{scheduled.createdBy.name}</bdi> : 'an API token'}</span>
            </span>
            <button type="button" className="follow-up-cancel" disabled={isCancelling} onClick={() => void cancelScheduled(scheduled)}>
              Cancel follow-up
            </button>
          </div>
          {scheduled.note && (
            <p className="follow-up-note-text" dir="auto">
              {scheduled.note}
            </p>
          )}
          <PreparedSummary followUp={scheduled} channelId={conversation.channel.id} />
          <p className="follow-up-outcome">{scheduled.outcome}</p>
        </div>
      )}
      {cancelError && (
        <p role="alert" className="error">
          Not cancelled: {cancelError}
        </p>
      )}
      {recent.length > 0 && (
        <details className="follow-ups-recent">
          <summary>Earlier follow-ups ({recent.length})</summary>
          <ul aria-label="Earlier follow-ups">
            {recent.map((followUp) => (
              <li key={followUp.id}>
                <span className={`tag follow-up-${followUp.status}`}>{statusLabels[followUp.status]}</span> <DueTime at={followUp.dueAt} />
                {followUp.note && (
                  <>
                    {' '}
                    · <bdi>{followUp.note}</bdi>
                  </>
                )}
                <span className="muted"> — {followUp.outcome}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  )
}
