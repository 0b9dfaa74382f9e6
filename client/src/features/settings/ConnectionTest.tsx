import type { ConnectionCheck } from '@carebox/shared'
import { useState } from 'react'
import { ApiError } from '../../api/http'
import './channel-connection.css'

type Outcome = ConnectionCheck | { status: 'error'; error: string }

/**
 * "Test connection": asks the platform, through Carebox, whom the credentials belong to, and shows its answer (the
 * account found, or why not) before anything is saved. Everything shown is the platform's text: React escapes it.
 */
export function ConnectionTest({
  run,
  idLabel,
  currentId,
  onUseId,
}: {
  run: () => Promise<ConnectionCheck>
  /** The form's name for the platform id ("Bot user ID"). */
  idLabel: string
  currentId: string
  /** New channels: puts the id the platform gave into the form. */
  onUseId?: (id: string) => void
}) {
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const [isTesting, setTesting] = useState(false)

  const test = async () => {
    setTesting(true)
    setOutcome(null)
    try {
      setOutcome(await run())
    } catch (error) {
      setOutcome({ status: 'error', error: error instanceof ApiError ? error.message : 'The test could not be run.' })
    }
    setTesting(false)
  }

  const foundId = outcome?.status === 'connected' ? outcome.account.id : null
  return (
    <div className="connection-test">
      <div className="connection-test-actions">
        <button type="button" onClick={() => void test()} disabled={isTesting}>
          {isTesting ? 'Testing…' : 'Test connection'}
        </button>
        {onUseId && foundId && foundId !== currentId.trim() && (
          <button type="button" className="link" onClick={() => onUseId(foundId)}>
            Use {foundId} as {idLabel}
          </button>
        )}
      </div>
      {outcome?.status === 'connected' && (
        <div role="status">
          <p className="connection-found">Connected: {outcome.account.summary}</p>
          {outcome.warnings.length > 0 && (
            <ul className="connection-warnings">
              {outcome.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {outcome && outcome.status !== 'connected' && (
        <p role="alert" className="error">
          Not connected: {outcome.error}
        </p>
      )}
    </div>
  )
}
