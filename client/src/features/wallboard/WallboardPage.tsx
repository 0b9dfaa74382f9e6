import { useEffect, type MouseEvent } from 'react'
import { reportActivity } from '../../api/socket'
import { useNow } from '../../components/useNow'
import { useStore } from '../../store/store'
import { dashboardPath } from '../dashboard/dashboard-paths'
import { formatCount, formatRate, formatScore } from '../dashboard/report-format'
import './wallboard.css'
import { WallboardTeams } from './WallboardTeams'
import { WallboardTile } from './WallboardTile'

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })

/** A wait as a clock reads, so it visibly ticks: "4:07", "1:02:45". */
function formatWait(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}

function teamIdOf(search: string): string | undefined {
  return new URLSearchParams(search).get('teamId') ?? undefined
}

/**
 * TV mode: the few live figures a team watches from across the room, large, with nothing else around them, and who
 * is online in each team. Asks again every 5 s, and soon after live events (messages, conversations, presence).
 */
export function WallboardPage() {
  const wallboard = useStore((s) => s.wallboard)
  const receivedAt = useStore((s) => s.wallboardReceivedAt)
  const error = useStore((s) => s.wallboardError)
  const watch = useStore((s) => s.watchWallboard)
  const teams = useStore((s) => s.teams)
  const loadTeams = useStore((s) => s.loadTeams)
  const navigate = useStore((s) => s.navigate)
  const now = useNow(1000)
  const teamId = teamIdOf(window.location.search)

  useEffect(() => watch(teamId), [watch, teamId])
  useEffect(() => {
    void loadTeams()
  }, [loadTeams])
  // A screen on the wall is not someone at a console: it must not keep its user online, and counted among agents online.
  useEffect(() => {
    reportActivity(false)
    return () => reportActivity(true)
  }, [])

  const exit = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    navigate(dashboardPath)
  }

  const teamName = teamId ? (teams?.find((t) => t.id === teamId)?.name ?? 'One team') : 'All your teams'
  // Waits tick on from the server's clock (the screen's own may be off), by the time since the figures arrived
  // (never less: the clock shown may predate their arrival by a moment).
  const oldestWaitMs =
    wallboard?.oldestWaitingSince && receivedAt !== null
      ? Date.parse(wallboard.at) - Date.parse(wallboard.oldestWaitingSince) + Math.max(0, now.getTime() - receivedAt)
      : null

  return (
    <main className="wallboard" aria-label="Wallboard">
      <header className="wallboard-head">
        <h1>{teamName}</h1>
        <p className="wallboard-updated" role="status">
          {wallboard ? `Updated ${timeFormat.format(new Date(wallboard.at))}` : 'Loading…'}
        </p>
        <a className="wallboard-exit" href={dashboardPath} onClick={exit}>
          Exit TV mode
        </a>
      </header>
      {error && (
        <p role="alert" className="wallboard-error">
          Could not refresh: {error}
          {wallboard ? ' The figures shown are the last ones received.' : ''}
        </p>
      )}
      {wallboard && (
        <div className="wallboard-body">
          <div className="wallboard-grid">
            <WallboardTile
              label="Waiting now"
              value={wallboard.waitingNow}
              note="customers waiting for a reply"
              tone={wallboard.waitingNow > 0 ? 'warn' : 'calm'}
            />
            <WallboardTile
              label="Oldest wait"
              value={oldestWaitMs === null ? '—' : formatWait(oldestWaitMs)}
              note={oldestWaitMs === null ? 'nobody waiting' : 'since their oldest unanswered message'}
            />
            <WallboardTile label="At risk" value={wallboard.atRisk} note="breached or due within 15 minutes" tone={wallboard.atRisk > 0 ? 'alert' : 'calm'} />
            <WallboardTile label="Agents online" value={wallboard.agentsOnline} note="online now" />
            <WallboardTile
              label="Response rate today"
              value={formatRate(wallboard.todayResponseRate)}
              note={`${wallboard.todayAnswered} of ${wallboard.todayInbound} conversations answered`}
            />
            <WallboardTile
              label="Satisfaction today"
              value={formatScore(wallboard.todaySatisfaction)}
              note={
                wallboard.todayRatings > 0
                  ? `of ${formatCount(wallboard.todayRatings, 'rating', 'ratings')} ${wallboard.todayRatings === 1 ? 'was' : 'were'} 4 or 5`
                  : 'no ratings yet today'
              }
            />
          </div>
          <WallboardTeams teams={wallboard.teams} />
        </div>
      )}
    </main>
  )
}
