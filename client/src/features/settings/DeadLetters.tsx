import { useEffect } from 'react'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'

export function DeadLetters({ channelId }: { channelId: string }) {
  const letters = useStore((s) => s.deadLettersByChannel[channelId])
  const load = useStore((s) => s.loadDeadLetters)
  const replay = useStore((s) => s.replayDeadLetter)

  useEffect(() => {
    void load(channelId)
  }, [channelId, load])

  if (!letters) return <p className="muted">Loading dead letters…</p>
  if (letters.length === 0) return <p className="muted">No dead letters.</p>
  return (
    <ul className="dead-letters" aria-label="Dead letters">
      {letters.map((letter) => (
        <li key={letter.id}>
          <div className="dead-letter-head">
            <span className="error">{letter.error}</span>
            <span className="muted">
              {letter.source} · <RelativeTime at={letter.receivedAt} /> · {letter.attempts} attempt{letter.attempts === 1 ? '' : 's'}
            </span>
            <button type="button" onClick={() => void replay(channelId, letter.id)}>
              Replay
            </button>
          </div>
          <details>
            <summary>Payload</summary>
            <pre>{JSON.stringify(letter.payload, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ul>
  )
}
