import type { WebhookDelivery } from '@carebox/shared'
import { useState } from 'react'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'
import { deliveryAnswer, deliveryState } from './webhook-text'

/** One entry of the delivery log: the event, how its last attempt went, what the receiver said, and Replay. */
export function WebhookDeliveryItem({ endpointId, delivery }: { endpointId: string; delivery: WebhookDelivery }) {
  const replay = useStore((s) => s.replayWebhookDelivery)
  const [error, setError] = useState<string | null>(null)
  const [isReplaying, setReplaying] = useState(false)
  const state = deliveryState(delivery)
  const answer = deliveryAnswer(delivery)

  const onReplay = async () => {
    setReplaying(true)
    setError(await replay(endpointId, delivery.id))
    setReplaying(false)
  }

  return (
    <li className="webhook-delivery" aria-label={`${delivery.eventType}, ${state.label.toLowerCase()}`}>
      <div className="webhook-delivery-head">
        <code className="webhook-delivery-type">{delivery.eventType}</code>
        <span className={`pill webhook-state webhook-state-${state.tone}`}>{state.label}</span>
        {answer && <span className={delivery.status === 'succeeded' ? undefined : 'error'}>{answer}</span>}
        {delivery.lastLatencyMs !== null && <span className="muted">{delivery.lastLatencyMs} ms</span>}
        <span className="muted">{delivery.attempts === 0 ? 'not attempted yet' : `attempt ${delivery.attempts}`}</span>
        <span className="muted">
          {delivery.lastAttemptAt ? (
            <>
              last tried <RelativeTime at={delivery.lastAttemptAt} />
            </>
          ) : (
            <>
              queued <RelativeTime at={delivery.createdAt} />
            </>
          )}
        </span>
        {delivery.status !== 'pending' && (
          <button type="button" className="webhook-replay" disabled={isReplaying} onClick={() => void onReplay()}>
            Replay
          </button>
        )}
      </div>
      <p className="webhook-delivery-meta muted">
        webhook-id <code>{delivery.eventId}</code>
        {delivery.status === 'pending' && delivery.attempts > 0 && delivery.nextAttemptAt && (
          <>
            {' '}
            · next attempt <RelativeTime at={delivery.nextAttemptAt} />
          </>
        )}
      </p>
      {delivery.lastResponseExcerpt && (
        <details className="webhook-excerpt">
          <summary>
            Response <span className="webhook-excerpt-preview">{delivery.lastResponseExcerpt}</span>
          </summary>
          <pre>{delivery.lastResponseExcerpt}</pre>
        </details>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </li>
  )
}
