import { channelKindLabels, channelQuietRuleText } from '@carebox/shared'
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'
import { healthStatusLabels, quietText } from './channel-health-text'
import './channel-health.css'

const refreshMs = 30_000

/**
 * Settings → System: every channel's intake on one screen, so a channel that polls "fine" while taking nothing in
 * stands out. The per-channel details are in Settings → Channels.
 */
export function ChannelHealthTable() {
  const items = useStore(useShallow((s) => (s.channelHealth ? Object.values(s.channelHealth) : null)))
  const error = useStore((s) => s.channelHealthError)
  const load = useStore((s) => s.loadChannelHealth)

  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), refreshMs)
    return () => clearInterval(timer)
  }, [load])

  return (
    <section className="panel" aria-labelledby="channel-health-heading">
      <h2 id="channel-health-heading">Channels</h2>
      {error && (
        <p role="alert" className="error">
          Could not load the channels’ health: {error}
        </p>
      )}
      {!items && !error && <p className="muted">Loading…</p>}
      {items && items.length === 0 && <p className="muted">No channels yet.</p>}
      {items && items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" aria-label="Channel health">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">State</th>
                <th scope="col">Last successful poll</th>
                <th scope="col">Last webhook received</th>
                <th scope="col">Last received</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {items.map((health) => {
                const quiet = quietText(health)
                return (
                  <tr key={health.channelId}>
                    <th scope="row">
                      {health.name} <span className="muted">{channelKindLabels[health.kind]}</span>
                    </th>
                    <td className={health.status === 'failing' || health.status === 'quiet' ? 'error' : undefined}>
                      {healthStatusLabels[health.status]}
                      {quiet && (
                        <span className="muted" title={channelQuietRuleText}>
                          {' '}
                          · {quiet}
                        </span>
                      )}
                    </td>
                    <td>
                      {health.mode === 'polling' ? (
                        health.lastPollOkAt ? (
                          <RelativeTime at={health.lastPollOkAt} />
                        ) : (
                          'none yet'
                        )
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      {health.lastWebhookAt ? (
                        <RelativeTime at={health.lastWebhookAt} />
                      ) : (
                        <span className="muted">{health.mode === 'webhook' ? 'none yet' : '—'}</span>
                      )}
                    </td>
                    <td>{health.lastReceivedAt ? <RelativeTime at={health.lastReceivedAt} /> : <span className="muted">nothing yet</span>}</td>
                    <td>
                      {health.lastError ? (
                        <>
                          <RelativeTime at={health.lastError.at} />: <span className="channel-health-error">{health.lastError.message}</span>
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
