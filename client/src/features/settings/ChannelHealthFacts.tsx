import { channelQuietRuleText, type ChannelHealth } from '@carebox/shared'
import { RelativeTime } from '../../components/RelativeTime'
import { quietText } from './channel-health-text'
import './channel-health.css'

/**
 * A channel's intake, as facts of its row in Settings → Channels: the last poll the platform answered and the last
 * webhook received (apart), what last arrived, the last error in the platform's words, and "Nothing received for
 * N minutes" when that is unusual for the channel. Platform text is shown as text, never as markup.
 */
export function ChannelHealthFacts({ health }: { health: ChannelHealth }) {
  const quiet = quietText(health)
  return (
    <>
      {health.mode === 'polling' && (
        <>
          <dt>Last successful poll</dt>
          <dd>{health.lastPollOkAt ? <RelativeTime at={health.lastPollOkAt} /> : 'none yet'}</dd>
        </>
      )}
      {(health.mode === 'webhook' || health.lastWebhookAt) && (
        <>
          <dt>Last webhook received</dt>
          <dd>{health.lastWebhookAt ? <RelativeTime at={health.lastWebhookAt} /> : 'none yet'}</dd>
        </>
      )}
      <dt>Last received</dt>
      <dd>
        {health.lastReceivedAt ? <RelativeTime at={health.lastReceivedAt} /> : 'nothing yet'}
        {quiet && (
          <>
            {' '}
            <span className="channel-health-text error" title={channelQuietRuleText}>
              {quiet}
            </span>
          </>
        )}
      </dd>
      {health.lastError && (
        <>
          <dt>Last error</dt>
          <dd>
            <RelativeTime at={health.lastError.at} />
            {health.isPollFailing ? ' (polling still fails)' : ''}:{' '}
            <span className={health.isPollFailing ? 'channel-health-text error' : 'channel-health-text muted'}>{health.lastError.message}</span>
          </dd>
        </>
      )}
      {health.cursorReset && (
        <>
          <dt>Cursor recovered</dt>
          <dd>
            <RelativeTime at={health.cursorReset.at} />: <span className="channel-health-text muted">{health.cursorReset.reason}</span>
          </dd>
        </>
      )}
    </>
  )
}
