import type { WebhookDelivery, WebhookEndpoint } from '@carebox/shared'
import { useState } from 'react'
import { ConfirmButton } from '../../components/ConfirmButton'
import { OneTimeSecret } from '../../components/OneTimeSecret'
import { RelativeTime } from '../../components/RelativeTime'
import { useNow } from '../../components/useNow'
import { useStore } from '../../store/store'
import { useDeliveryRefresh } from './useDeliveryRefresh'
import { demoReceiverPage, testEventOutcome, webhookEventTypeLabels } from './webhook-text'
import { WebhookDeliveryLog } from './WebhookDeliveryLog'
import { WebhookEndpointForm } from './WebhookEndpointForm'

/** One endpoint: where it sends, what, whether it works, and everything an admin does with it. */
export function WebhookEndpointCard({ endpoint }: { endpoint: WebhookEndpoint }) {
  const update = useStore((s) => s.updateWebhookEndpoint)
  const remove = useStore((s) => s.deleteWebhookEndpoint)
  const rotate = useStore((s) => s.rotateWebhookSecret)
  const sendTest = useStore((s) => s.sendWebhookTestEvent)
  const load = useStore((s) => s.loadWebhookDeliveries)
  const teamName = useStore((s) => (endpoint.teamId ? (s.teams?.find((t) => t.id === endpoint.teamId)?.name ?? 'a team') : null))
  const [isEditing, setEditing] = useState(false)
  const [isLogOpen, setLogOpen] = useState(false)
  const [isBusy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  // The secret is answered once: it lives in this component only, and is gone once dismissed.
  const [secret, setSecret] = useState<string | null>(null)
  // The test event as queued; the log's copy, refreshed, says how it went.
  const [testSent, setTestSent] = useState<WebhookDelivery | null>(null)
  const testDelivery = useStore((s) => (testSent ? (s.webhookDeliveryLogs[endpoint.id]?.items.find((d) => d.id === testSent.id) ?? testSent) : null))
  const now = useNow(30_000)
  const isRotating = endpoint.previousSecretUntil !== null && new Date(endpoint.previousSecretUntil) > now
  const demoPage = demoReceiverPage(endpoint.url)
  const outcome = testDelivery ? testEventOutcome(testDelivery) : null
  useDeliveryRefresh(endpoint.id, isLogOpen || testDelivery?.status === 'pending')

  /** Runs an action; its refusal, if any, shows next to the buttons. */
  const act = async (action: () => Promise<string | null>, done?: string) => {
    setBusy(true)
    setError(null)
    setNotice(null)
    const failure = await action()
    setBusy(false)
    setError(failure)
    if (!failure && done) setNotice(done)
  }

  const onSendTest = () =>
    act(async () => {
      setTestSent(null)
      const sent = await sendTest(endpoint.id)
      if (!sent.ok) return sent.error
      setTestSent(sent.value)
      // Where its outcome, and the receiver's answer, will show: an open log reads itself again, a closed one opens.
      if (isLogOpen) void load(endpoint.id)
      else setLogOpen(true)
      return null
    })

  const onRotate = () =>
    act(async () => {
      const rotated = await rotate(endpoint.id)
      if (!rotated.ok) return rotated.error
      setSecret(rotated.value)
      return null
    })

  return (
    <li className="webhook-endpoint" aria-label={endpoint.url}>
      <div className="webhook-endpoint-head">
        <div className="webhook-endpoint-title">
          <code className="webhook-url">{endpoint.url}</code>
          {endpoint.description && <span className="muted">{endpoint.description}</span>}
        </div>
        <span className={endpoint.enabled ? 'pill pill-on' : 'pill'}>{endpoint.enabled ? 'Enabled' : 'Disabled'}</span>
      </div>
      {!endpoint.enabled && endpoint.disabledReason && <p className="webhook-warning">Disabled: {endpoint.disabledReason}</p>}
      {endpoint.enabled && endpoint.failingSince && (
        <p className="webhook-warning">
          Failing since <RelativeTime at={endpoint.failingSince} />: no attempt has succeeded since then. Carebox keeps retrying, and disables the endpoint
          after days of failures.
        </p>
      )}
      {endpoint.enabled && endpoint.pausedUntil && new Date(endpoint.pausedUntil) > now && (
        <p className="webhook-warning">
          Paused until <RelativeTime at={endpoint.pausedUntil} />: the receiver answered with Retry-After, so nothing is sent to it before then.
        </p>
      )}
      <dl className="facts webhook-facts">
        <dt>Events</dt>
        <dd>
          {endpoint.eventTypes.length === 0 ? (
            'All events'
          ) : (
            <ul className="webhook-type-list">
              {endpoint.eventTypes.map((type) => (
                <li key={type} title={type}>
                  {webhookEventTypeLabels[type]}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Team</dt>
        <dd>{teamName ?? 'Every team'}</dd>
        {endpoint.allowPrivateNetwork && (
          <>
            <dt>Network</dt>
            <dd>A private network address is allowed</dd>
          </>
        )}
        {isRotating && (
          <>
            <dt>Secret</dt>
            <dd>
              Rotated: the old secret signs too, and stops <RelativeTime at={endpoint.previousSecretUntil!} />
            </dd>
          </>
        )}
        <dt>Added</dt>
        <dd>
          <RelativeTime at={endpoint.createdAt} />
        </dd>
      </dl>
      {demoPage && (
        <p className="webhook-demo">
          This endpoint is the demo’s example receiver, inside the platform simulator. Its deliveries are in the delivery log below, and the receiver’s own page
          shows each one arrive with its signature checked:{' '}
          <a href={demoPage} target="_blank" rel="noreferrer">
            open the receiver’s page
          </a>
          .
        </p>
      )}
      <div className="webhook-actions">
        <button type="button" className="primary" disabled={isBusy || !endpoint.enabled} onClick={() => void onSendTest()}>
          Send test event
        </button>
        <button type="button" aria-expanded={isLogOpen} onClick={() => setLogOpen(!isLogOpen)}>
          {isLogOpen ? 'Hide delivery log' : 'Delivery log'}
        </button>
        <button type="button" aria-expanded={isEditing} onClick={() => setEditing(!isEditing)}>
          {isEditing ? 'Close' : 'Edit'}
        </button>
        {endpoint.enabled ? (
          <ConfirmButton
            label="Disable"
            question="Disable it? Nothing is sent until it is enabled again; what comes due meanwhile is kept as failed, to replay."
            confirmLabel="Yes, disable"
            disabled={isBusy}
            onConfirm={() => void act(() => update(endpoint.id, { enabled: false }))}
          />
        ) : (
          <button
            type="button"
            disabled={isBusy}
            onClick={() =>
              void act(
                () => update(endpoint.id, { enabled: true }),
                'Enabled. To send what failed while it was off, use “Replay failed since” in its delivery log.',
              )
            }
          >
            Enable
          </button>
        )}
        <ConfirmButton
          label="Rotate secret"
          question="Make a new signing secret? For 24 hours every delivery carries two signatures, one with the new secret and one with the old, so the receiver keeps working while you switch it over."
          confirmLabel="Yes, rotate"
          isDangerous={false}
          disabled={isBusy}
          onConfirm={() => void onRotate()}
        />
        <ConfirmButton
          label="Delete"
          question="Delete this endpoint and its delivery log? Nothing more is sent to it."
          confirmLabel="Yes, delete"
          disabled={isBusy}
          onConfirm={() => void act(() => remove(endpoint.id))}
        />
      </div>
      {outcome && (
        <p role="status" className={`webhook-outcome webhook-outcome-${outcome.tone}`}>
          {outcome.text}
        </p>
      )}
      {notice && (
        <p role="status" className="webhook-outcome">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {secret && (
        <OneTimeSecret title={`New secret of ${endpoint.url}`} value={secret} onDone={() => setSecret(null)}>
          <strong>Copy it now: it won’t be shown again.</strong> For the next 24 hours each delivery is signed with this secret and with the old one; give this
          one to your receiver before then.
        </OneTimeSecret>
      )}
      {isEditing && <WebhookEndpointForm endpoint={endpoint} onDone={() => setEditing(false)} />}
      {isLogOpen && <WebhookDeliveryLog endpoint={endpoint} />}
    </li>
  )
}
