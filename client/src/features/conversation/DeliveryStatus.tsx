import type { Message } from '@carebox/shared'
import { useState } from 'react'

/** Why a reply failed, and a way to send it again. */
export function DeliveryStatus({ message, onRetry }: { message: Message; onRetry?: (id: string) => Promise<string | null> }) {
  const [isRetrying, setRetrying] = useState(false)
  const [retryError, setRetryError] = useState<string | null>(null)
  const retry = async () => {
    if (!onRetry) return
    setRetrying(true)
    setRetryError(await onRetry(message.id))
    setRetrying(false)
  }
  return (
    <div className="delivery-failed" role="group" aria-label="Not delivered">
      <p className="error">{message.error ?? 'The platform did not accept this reply.'}</p>
      {onRetry && (
        <button type="button" onClick={() => void retry()} disabled={isRetrying}>
          {isRetrying ? 'Retrying…' : 'Retry'}
        </button>
      )}
      {retryError && (
        <p role="alert" className="error">
          Could not retry: {retryError}
        </p>
      )}
    </div>
  )
}
