import type { DeadLetterReplayOutcome } from '@carebox/shared'
import { useEffect, useState } from 'react'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'

type ReplayOutcome = DeadLetterReplayOutcome | { status: 'error'; error: string }

/** What became of a replay, in a line the admin can act on. */
function outcomeText(outcome: ReplayOutcome): string {
  switch (outcome.status) {
    case 'processed':
      return 'Replayed: taken in.'
    case 'failed':
      return `Failed again: ${outcome.error}`
    case 'queued':
      return outcome.error
        ? `Failed again: ${outcome.error}. Carebox retries it on its own; if it keeps failing it comes back here.`
        : 'Replayed: still waiting to be processed. It leaves this list once taken in.'
    case 'error':
      return `Could not replay: ${outcome.error}`
  }
}

export function DeadLetters({ channelId }: { channelId: string }) {
  const letters = useStore((s) => s.deadLettersByChannel[channelId])
  const count = useStore((s) => s.channels?.find((c) => c.id === channelId)?.deadLetterCount)
  const load = useStore((s) => s.loadDeadLetters)
  const replay = useStore((s) => s.replayDeadLetter)
  const [replayingId, setReplayingId] = useState<string | null>(null)
  const [outcome, setOutcome] = useState<ReplayOutcome | null>(null)

  // Whenever the channel's count moves (a new dead letter, one replayed elsewhere), the list follows it.
  useEffect(() => {
    void load(channelId)
  }, [channelId, count, load])

  const onReplay = async (eventId: string) => {
    setReplayingId(eventId)
    setOutcome(null)
    setOutcome(await replay(channelId, eventId))
    setReplayingId(null)
  }

  const isFailure = outcome !== null && outcome.status !== 'processed' && !(outcome.status === 'queued' && !outcome.error)
  return (
    <div className="dead-letters-panel">
      {outcome && (
        <p role={isFailure ? 'alert' : 'status'} className={isFailure ? 'error' : 'muted'}>
          {outcomeText(outcome)}
        </p>
      )}
      {!letters ? (
        <p className="muted">Loading dead letters…</p>
      ) : letters.length === 0 ? (
        <p className="muted">No dead letters.</p>
      ) : (
        <ul className="dead-letters" aria-label="Dead letters">
          {letters.map((letter) => (
            <li key={letter.id}>
              <div className="dead-letter-head">
                <span className="error">{letter.error}</span>
                <span className="muted">
                  {letter.source} · <RelativeTime at={letter.receivedAt} /> · {letter.attempts} attempt{letter.attempts === 1 ? '' : 's'}
                </span>
                <button type="button" disabled={replayingId !== null} onClick={() => void onReplay(letter.id)}>
                  {replayingId === letter.id ? 'Replaying…' : 'Replay'}
                </button>
              </div>
              <details>
                <summary>Payload</summary>
                <pre>{JSON.stringify(letter.payload, null, 2)}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
