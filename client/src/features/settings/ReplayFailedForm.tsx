import type { WebhookEndpoint } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'
import { toDateTimeInput } from './webhook-text'

const dayMs = 24 * 3600_000

/**
 * "Replay failed since …": every failed delivery of the endpoint created since a time goes out again, in order. It
 * starts from when the endpoint began failing, where that is known, else from a day ago.
 */
export function ReplayFailedForm({ endpoint }: { endpoint: WebhookEndpoint }) {
  const replayFailed = useStore((s) => s.replayFailedWebhookDeliveries)
  const [since, setSince] = useState(() => toDateTimeInput(endpoint.failingSince ? new Date(endpoint.failingSince) : new Date(Date.now() - dayMs)))
  const [result, setResult] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [isReplaying, setReplaying] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setResult(null)
    // A datetime-local value has no zone: it is the admin's own local time.
    const at = new Date(since)
    if (!since || Number.isNaN(at.getTime())) {
      setError('Choose a date and time.')
      return
    }
    setError(null)
    setReplaying(true)
    const outcome = await replayFailed(endpoint.id, at.toISOString())
    setReplaying(false)
    if (!outcome.ok) setError(outcome.error)
    else if (outcome.value === 0) setResult('No failed deliveries since then.')
    else setResult(`Sending ${outcome.value} failed ${outcome.value === 1 ? 'delivery' : 'deliveries'} again.`)
  }

  return (
    <form className="inline-form webhook-replay-failed" aria-label="Replay failed deliveries" onSubmit={(e) => void submit(e)}>
      <label>
        Replay failed since
        <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} required />
      </label>
      <button type="submit" disabled={isReplaying}>
        Replay failed
      </button>
      {result && (
        <p role="status" className="webhook-replay-result">
          {result}
        </p>
      )}
      {error && (
        <p role="alert" className="error webhook-replay-result">
          {error}
        </p>
      )}
    </form>
  )
}
