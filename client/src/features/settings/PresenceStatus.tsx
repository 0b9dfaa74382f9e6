import type { Presence } from '@carebox/shared'
import { formatDistanceStrict } from 'date-fns'
import { formatFullDateTime } from '../../components/formatTime'
import { useNow } from '../../components/useNow'

const presenceLabels: Record<Presence, string> = { online: 'Online', away: 'Away', offline: 'Offline' }

/** "for 5 minutes"; a change under a minute old (or stamped a little ahead of this clock) is "just now". */
function sinceText(since: Date, now: Date): string {
  return now.getTime() - since.getTime() < 60_000 ? 'just now' : `for ${formatDistanceStrict(since, now)}`
}

/** A coloured dot, the word for it, and how long it has been so. */
export function PresenceStatus({ presence, since }: { presence: Presence; since: string | null }) {
  const now = useNow()
  return (
    <span className="presence-status">
      <span className={`presence-dot presence-${presence}`} aria-hidden="true" />
      {presenceLabels[presence]}
      {since && (
        <span className="muted">
          {' · '}
          <time dateTime={since} title={`Since ${formatFullDateTime(since)}`}>
            {sinceText(new Date(since), now)}
          </time>
        </span>
      )}
    </span>
  )
}
