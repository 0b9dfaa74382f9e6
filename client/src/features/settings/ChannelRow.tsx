import { channelKindLabels, type Channel } from '@carebox/shared'
import { useState } from 'react'
import { ChannelBadge } from '../../components/ChannelBadge'
import { RelativeTime } from '../../components/RelativeTime'
import { useNow } from '../../components/useNow'
import { useStore } from '../../store/store'
import { sendingNotice } from './channel-sending'
import { ChannelForm } from './ChannelForm'
import { ChannelHealthFacts } from './ChannelHealthFacts'
import { ChannelSetup } from './ChannelSetup'
import { ChannelTemplates } from './ChannelTemplates'
import { DeadLetters } from './DeadLetters'
import { webhookUrlProblem } from './public-url'

export function ChannelRow({ channel }: { channel: Channel }) {
  const update = useStore((s) => s.updateChannel)
  const teamName = useStore((s) => s.teams?.find((t) => t.id === channel.teamId)?.name)
  const health = useStore((s) => s.channelHealth?.[channel.id])
  const [isEditing, setEditing] = useState(false)
  const [showDeadLetters, setShowDeadLetters] = useState(false)
  const [showTemplates, setShowTemplates] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // A pause ends on its own clock, without an event: the line goes when its time has passed.
  const now = useNow(10_000)
  const sending = sendingNotice(channel.sending, now)
  const urlProblem = channel.webhookUrl ? webhookUrlProblem(channel.webhookUrl) : null

  const toggle = async () => setError(await update(channel.id, { enabled: !channel.enabled }))

  return (
    <li className="channel-row" aria-label={channel.name}>
      <div className="channel-row-head">
        <ChannelBadge kind={channel.kind} />
        <div className="channel-row-title">
          <strong>{channel.name}</strong>
          <span className="muted">
            {channelKindLabels[channel.kind]} · {channel.settings.mode === 'webhook' ? 'webhook' : 'polling'} · {channel.externalId}
            {teamName && <> · team {teamName}</>}
          </span>
        </div>
        <span className={channel.enabled ? 'pill pill-on' : 'pill'}>{channel.enabled ? 'Enabled' : 'Disabled'}</span>
        <button type="button" onClick={() => void toggle()}>
          {channel.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" onClick={() => setEditing(!isEditing)}>
          {isEditing ? 'Close' : 'Edit'}
        </button>
      </div>
      {sending && <p className={sending.isPaused ? 'channel-sending channel-sending-paused' : 'channel-sending'}>{sending.text}</p>}
      <dl className="facts channel-facts">
        {channel.webhookUrl && (
          <>
            <dt>Webhook URL</dt>
            <dd>
              <code>{channel.webhookUrl}</code>
              {urlProblem && <p className="webhook-url-problem">{urlProblem}</p>}
            </dd>
          </>
        )}
        {channel.verifyToken && (
          <>
            <dt>Verify token</dt>
            <dd>
              <code>{channel.verifyToken}</code>
            </dd>
          </>
        )}
        {health ? (
          <ChannelHealthFacts health={health} />
        ) : (
          // Until its health is known (or when it cannot be): what the channel itself records.
          <>
            <dt>Last event</dt>
            <dd>{channel.lastEventAt ? <RelativeTime at={channel.lastEventAt} /> : 'none yet'}</dd>
            {channel.settings.mode === 'polling' && (
              <>
                <dt>Last successful poll</dt>
                <dd>{channel.lastPolledAt ? <RelativeTime at={channel.lastPolledAt} /> : 'none yet'}</dd>
              </>
            )}
          </>
        )}
        <dt>Errors</dt>
        <dd>
          {channel.errorCount}
          {!health && channel.lastError && <span className="muted"> · last: {channel.lastError}</span>}
        </dd>
        <dt>Dead letters</dt>
        <dd>
          {channel.deadLetterCount}{' '}
          {channel.deadLetterCount > 0 && (
            <button type="button" className="link" onClick={() => setShowDeadLetters(!showDeadLetters)}>
              {showDeadLetters ? 'Hide' : 'Review'}
            </button>
          )}
        </dd>
        {channel.kind === 'whatsapp' && (
          <>
            <dt>Business Account</dt>
            <dd>
              {channel.settings.businessAccountId ? <code>{channel.settings.businessAccountId}</code> : 'id not set (needed for templates)'} ·{' '}
              <button type="button" className="link" aria-expanded={showTemplates} onClick={() => setShowTemplates(!showTemplates)}>
                Templates
              </button>
            </dd>
          </>
        )}
      </dl>
      <ChannelSetup channel={channel} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {isEditing && <ChannelForm channel={channel} onDone={() => setEditing(false)} />}
      {showDeadLetters && <DeadLetters channelId={channel.id} />}
      {showTemplates && <ChannelTemplates channelId={channel.id} />}
    </li>
  )
}
