import type { Message } from '@carebox/shared'
import { useState } from 'react'
import { ConfirmButton } from '../../components/ConfirmButton'

/** What an agent does to a reply from the thread; resolves with an error message to show, or null. */
export type MessageAction = (id: string) => Promise<string | null>

/**
 * A reply the platform may or may not have delivered (the request timed out or the connection dropped), and which
 * it offers no safe way to check or repeat: the agent looks, then sends it again or records that it arrived.
 */
export function DeliveryUnknown({ message, onRetry, onMarkSent }: { message: Message; onRetry?: MessageAction; onMarkSent?: MessageAction }) {
  const [pending, setPending] = useState<'retry' | 'markSent' | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const decide = async (kind: 'retry' | 'markSent', action: MessageAction, failed: string) => {
    setPending(kind)
    setFailure(null)
    const error = await action(message.id)
    setPending(null)
    if (error) setFailure(`${failed}: ${error}`)
  }
  return (
    <div className="delivery-unknown" role="group" aria-label="Delivery unknown">
      <p>Carebox asked the platform to send this reply but never heard whether it arrived.</p>
      <p className="delivery-check">{message.error ?? 'Look at the conversation on the platform to see whether the customer got it.'}</p>
      {(onRetry || onMarkSent) && (
        <div className="delivery-actions">
          {onRetry && (
            <ConfirmButton
              label={pending === 'retry' ? 'Sending…' : 'Send again'}
              question="Send it again? If the first one did arrive, the customer gets it twice."
              confirmLabel="Yes, send again"
              isDangerous={false}
              disabled={pending !== null}
              onConfirm={() => void decide('retry', onRetry, 'Could not send again')}
            />
          )}
          {onMarkSent && (
            <button type="button" disabled={pending !== null} onClick={() => void decide('markSent', onMarkSent, 'Could not mark as sent')}>
              {pending === 'markSent' ? 'Marking…' : 'Mark as sent'}
            </button>
          )}
        </div>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
    </div>
  )
}
