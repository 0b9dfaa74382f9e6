import { useEffect, useState } from 'react'
import { OneTimeSecret } from '../../components/OneTimeSecret'
import { useStore } from '../../store/store'
import { WebhookEndpointCard } from './WebhookEndpointCard'
import { WebhookEndpointForm } from './WebhookEndpointForm'
import './integrations.css'

/** Settings → Integrations (admins): the endpoints Carebox sends signed webhooks to, and how their deliveries went. */
export function IntegrationsPanel() {
  const endpoints = useStore((s) => s.webhookEndpoints)
  const error = useStore((s) => s.webhookEndpointsError)
  const load = useStore((s) => s.loadWebhookEndpoints)
  const loadTeams = useStore((s) => s.loadTeams)
  const [isAdding, setAdding] = useState(false)
  // The secret is answered once: it lives in this component only, and is gone once dismissed.
  const [secret, setSecret] = useState<{ url: string; value: string } | null>(null)

  useEffect(() => {
    void load()
    void loadTeams()
  }, [load, loadTeams])

  return (
    <section className="panel integrations-panel" aria-labelledby="integrations-heading">
      <div className="panel-head">
        <h2 id="integrations-heading">Outbound webhooks</h2>
        {!isAdding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add an endpoint
          </button>
        )}
      </div>
      <p className="muted">
        Carebox tells your other systems (a CRM, a data warehouse, a bot) what happens as it happens: each event is a signed POST to your endpoint, following
        Standard Webhooks, retried for about three days until the endpoint answers with a 2xx status. An endpoint that answers 410 Gone, or fails for days, is
        disabled and admins are told.
      </p>
      <p className="muted">
        Your receiver checks each delivery with the endpoint’s secret and any Standard Webhooks library, on the raw body, for example{' '}
        <code>new Webhook(secret).verify(rawBody, headers)</code> with the <code>standardwebhooks</code> package.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {secret && (
        <OneTimeSecret title={`Signing secret of ${secret.url}`} value={secret.value} onDone={() => setSecret(null)}>
          <strong>Copy it now: it won’t be shown again.</strong> Your receiver checks every delivery’s <code>webhook-signature</code> with it. Lost, it can be
          replaced with “Rotate secret”.
        </OneTimeSecret>
      )}
      {isAdding && <WebhookEndpointForm onCreated={(url, value) => setSecret({ url, value })} onDone={() => setAdding(false)} />}
      {endpoints === null ? (
        !error && <p className="muted">Loading…</p>
      ) : endpoints.length === 0 ? (
        <p className="muted">No endpoints yet.</p>
      ) : (
        <ul className="webhook-endpoints" aria-label="Webhook endpoints">
          {endpoints.map((endpoint) => (
            <WebhookEndpointCard key={endpoint.id} endpoint={endpoint} />
          ))}
        </ul>
      )}
    </section>
  )
}
