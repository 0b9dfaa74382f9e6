import { channelsApi, type Channel, type WebhookRegistration } from '@carebox/shared'
import { useState, type ReactNode } from 'react'
import { ApiError, call } from '../../api/http'
import './channel-connection.css'

/** The fields each Meta object must be subscribed to for what its connector reads. */
const metaFields: Record<'facebook' | 'instagram' | 'whatsapp', { object: string; fields: string }> = {
  facebook: {
    object: 'Page',
    fields: 'messages, message_echoes, message_deliveries, message_reads, message_reactions, messaging_postbacks, messaging_referrals, feed',
  },
  instagram: { object: 'Instagram', fields: 'messages, messaging_postbacks, messaging_seen, comments, mentions' },
  whatsapp: { object: 'WhatsApp Business Account', fields: 'messages, message_template_status_update' },
}

/**
 * Who points the platform at Carebox, for a saved channel: Carebox itself where it can (Telegram setWebhook, Meta
 * subscribed_apps), the admin in the platform's dashboard otherwise, or nobody for a channel Carebox polls.
 */
export function ChannelSetup({ channel }: { channel: Channel }) {
  const { kind } = channel
  if (channel.settings.mode === 'polling') {
    return kind === 'telegram' ? (
      <p className="channel-setup-note muted">Carebox polls Telegram for this bot’s messages (getUpdates), so no webhook is needed.</p>
    ) : null
  }
  if (kind === 'telegram') {
    return (
      <div className="channel-setup">
        <p className="muted">Telegram sends this bot’s messages to the webhook URL once Carebox registers it, with the channel’s secret token.</p>
        <RegisterButton channelId={channel.id} label="Register webhook with Telegram" />
      </div>
    )
  }
  if (kind === 'facebook' || kind === 'instagram' || kind === 'whatsapp') {
    const { object, fields } = metaFields[kind]
    return (
      <details className="channel-setup">
        <summary>Set up Meta’s webhooks for this channel</summary>
        <ol>
          <li>
            In the{' '}
            <a href="https://developers.facebook.com/apps" target="_blank" rel="noreferrer">
              Meta App Dashboard
            </a>
            , open your app → Webhooks and choose the {object} object.
          </li>
          <li>
            Enter this channel’s webhook URL (above) as the Callback URL and its verify token as the Verify token: Meta calls the URL once to check the token.
          </li>
          <li>Subscribe to the fields: {fields}.</li>
          {kind === 'facebook' && (
            <li>
              Subscribe the Page to the app: <RegisterButton channelId={channel.id} label="Subscribe the Page" />
            </li>
          )}
          {kind === 'instagram' && <li>With Facebook Login, the Instagram account’s linked Page must be subscribed to the app too.</li>}
          {kind === 'whatsapp' &&
            (channel.settings.businessAccountId ? (
              <li>
                Subscribe the business account to the app: <RegisterButton channelId={channel.id} label="Subscribe the business account" />
              </li>
            ) : (
              <li>Subscribe the WhatsApp Business Account to the app: set its id in the channel first, and Carebox can do it.</li>
            ))}
        </ol>
      </details>
    )
  }
  if (kind === 'x') {
    return (
      <p className="channel-setup-note muted">
        Register the webhook URL for the Account Activity API in the{' '}
        <a href="https://developer.x.com/en/portal/dashboard" target="_blank" rel="noreferrer">
          X developer portal
        </a>{' '}
        and subscribe the brand account. X checks the URL with a CRC request, which Carebox answers with the API key secret.
      </p>
    )
  }
  return null
}

function RegisterButton({ channelId, label }: { channelId: string; label: string }) {
  const [result, setResult] = useState<WebhookRegistration | null>(null)
  const [isBusy, setBusy] = useState(false)

  const register = async () => {
    setBusy(true)
    setResult(null)
    try {
      setResult(await call(channelsApi.registerWebhook, { params: { id: channelId } }))
    } catch (error) {
      setResult({ status: 'failed', message: error instanceof ApiError ? error.message : 'The request could not be made.' })
    }
    setBusy(false)
  }

  let outcome: ReactNode = null
  if (result) {
    outcome =
      result.status === 'registered' ? (
        <span role="status" className="connection-found">
          {' '}
          Done: {result.message}
        </span>
      ) : (
        <span role="alert" className="error">
          {' '}
          Not registered: {result.message}
        </span>
      )
  }
  return (
    <>
      <button type="button" onClick={() => void register()} disabled={isBusy}>
        {isBusy ? 'Asking the platform…' : label}
      </button>
      {outcome}
    </>
  )
}
