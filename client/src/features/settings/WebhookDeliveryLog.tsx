import { webhookDeliveryStatuses, type WebhookDeliveryStatus, type WebhookEndpoint } from '@carebox/shared'
import { useEffect, useId } from 'react'
import { useStore } from '../../store/store'
import { ReplayFailedForm } from './ReplayFailedForm'
import { WebhookDeliveryItem } from './WebhookDeliveryItem'

const statusLabels: Record<WebhookDeliveryStatus, string> = {
  pending: 'Queued or retrying',
  succeeded: 'Delivered',
  failed: 'Failed',
}

/** An endpoint's deliveries, newest first: how each went, what the receiver answered, and replays. */
export function WebhookDeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const log = useStore((s) => s.webhookDeliveryLogs[endpoint.id])
  const error = useStore((s) => s.webhookDeliveryErrors[endpoint.id])
  const load = useStore((s) => s.loadWebhookDeliveries)
  const loadMore = useStore((s) => s.loadMoreWebhookDeliveries)
  const headingId = useId()

  useEffect(() => {
    void load(endpoint.id)
  }, [endpoint.id, load])

  return (
    <section className="webhook-log" aria-labelledby={headingId}>
      <div className="webhook-log-head">
        <h3 id={headingId}>Delivery log</h3>
        <label>
          Show
          <select value={log?.status ?? ''} onChange={(e) => void load(endpoint.id, (e.target.value || null) as WebhookDeliveryStatus | null)}>
            <option value="">All deliveries</option>
            {webhookDeliveryStatuses.map((status) => (
              <option key={status} value={status}>
                {statusLabels[status]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void load(endpoint.id)}>
          Refresh
        </button>
      </div>
      <ReplayFailedForm endpoint={endpoint} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {log === undefined ? (
        !error && <p className="muted">Loading…</p>
      ) : log.items.length === 0 ? (
        <p className="muted">{log.status ? 'None of these.' : 'No deliveries yet. Send a test event to see one here.'}</p>
      ) : (
        <ol className="webhook-deliveries" aria-label={`Deliveries to ${endpoint.url}`}>
          {log.items.map((delivery) => (
            <WebhookDeliveryItem key={delivery.id} endpointId={endpoint.id} delivery={delivery} />
          ))}
        </ol>
      )}
      {log?.nextCursor && (
        <button type="button" className="webhook-more" onClick={() => void loadMore(endpoint.id)}>
          Show older deliveries
        </button>
      )}
    </section>
  )
}
