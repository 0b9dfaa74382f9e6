import {
  channelsApi,
  channelKindLabels,
  channelKinds,
  ChannelSettings,
  defaultApiBaseUrls,
  externalIdLabels,
  ingestModesByKind,
  secretLabels,
  secretsByKind,
  type Channel,
  type ChannelKind,
  type ChannelSecretsInput,
  type ConnectionCheck,
  type IngestMode,
} from '@carebox/shared'
import { useId, useState, type FormEvent } from 'react'
import { call } from '../../api/http'
import { useStore } from '../../store/store'
import { ConversionsSettings } from '../conversation/ConversionsSettings'
import { apiBaseUrlHint, externalIdHint, handleHint, modeHint, secretHint } from './channel-field-help'
import { ConnectionTest } from './ConnectionTest'
import { FieldHint } from './FieldHint'
import './channel-connection.css'
import './channel-templates.css'

const businessAccountIdPattern = new RegExp(ChannelSettings.properties.businessAccountId.pattern ?? '^[0-9]{1,30}$')
const apiBaseUrlPattern = new RegExp(ChannelSettings.properties.apiBaseUrl.pattern ?? '^https?://[^\\s]+$')
const externalIdPattern = /^[A-Za-z0-9:._@+-]*$/

/** Connects a new channel, or edits one (secrets left blank are kept; they are never shown). */
export function ChannelForm({ channel, onDone }: { channel?: Channel; onDone: () => void }) {
  const create = useStore((s) => s.createChannel)
  const update = useStore((s) => s.updateChannel)
  const teams = useStore((s) => s.teams)
  const [kind, setKind] = useState<ChannelKind>(channel?.kind ?? 'facebook')
  const [name, setName] = useState(channel?.name ?? '')
  const [externalId, setExternalId] = useState(channel?.externalId ?? '')
  const [mode, setMode] = useState<IngestMode>(channel?.settings.mode ?? ingestModesByKind.facebook[0] ?? 'webhook')
  const [apiBaseUrl, setApiBaseUrl] = useState(channel?.settings.apiBaseUrl ?? defaultApiBaseUrls.facebook)
  const [handle, setHandle] = useState(channel?.settings.handle ?? '')
  const [businessAccountId, setBusinessAccountId] = useState(channel?.settings.businessAccountId ?? '')
  const [secrets, setSecrets] = useState<ChannelSecretsInput>({})
  // '' until chosen: the first team is proposed (and is the server's default when no team is sent).
  const [chosenTeamId, setTeamId] = useState(channel?.teamId ?? '')
  const teamId = chosenTeamId || teams?.[0]?.id || ''
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)
  const ids = useId()

  const filledSecrets = () => Object.fromEntries(Object.entries(secrets).filter(([, v]) => v)) as ChannelSecretsInput

  /** Tests what the form holds now, saved or not: a saved channel's blank secrets are its stored ones. */
  const testConnection = async (): Promise<ConnectionCheck> => {
    if (!apiBaseUrlPattern.test(apiBaseUrl)) return { status: 'failed', error: 'The API base URL must start with https:// (or http://).' }
    const id = externalId.trim()
    if (!externalIdPattern.test(id)) return { status: 'failed', error: `The ${externalIdLabels[kind]} may only hold letters, digits and : . _ @ + -` }
    const account = kind === 'whatsapp' && businessAccountIdPattern.test(businessAccountId.trim()) ? businessAccountId.trim() : ''
    const settings = { mode, apiBaseUrl, ...(handle && { handle }), ...(account && { businessAccountId: account }) }
    const filled = filledSecrets()
    return channel
      ? call(channelsApi.checkSavedConnection, { params: { id: channel.id }, body: { settings, ...(Object.keys(filled).length > 0 && { secrets: filled }) } })
      : call(channelsApi.checkConnection, { body: { kind, externalId: id, settings, secrets: filled } })
  }

  const changeKind = (next: ChannelKind) => {
    setKind(next)
    setMode(ingestModesByKind[next][0] ?? 'webhook')
    setApiBaseUrl(defaultApiBaseUrls[next])
    setSecrets({})
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const account = kind === 'whatsapp' ? businessAccountId.trim() : ''
    if (account && !businessAccountIdPattern.test(account)) {
      setError('The WhatsApp Business Account id is digits only, as WhatsApp Manager shows it.')
      return
    }
    setSaving(true)
    const settings = { mode, apiBaseUrl, ...(handle && { handle }), ...(account && { businessAccountId: account }) }
    const filled = filledSecrets()
    const team = teamId ? { teamId } : {}
    const failure = channel
      ? await update(channel.id, {
          name,
          settings,
          ...(teamId !== channel.teamId && team),
          ...(Object.keys(filled).length > 0 && { secrets: filled }),
        })
      : await create({ kind, name, externalId, settings, secrets: filled, ...team })
    setSaving(false)
    if (failure) setError(failure)
    else onDone()
  }

  const currentModeHint = modeHint(kind, mode)
  const currentHandleHint = handleHint(kind)

  return (
    <form className="channel-form" onSubmit={(e) => void submit(e)} aria-label={channel ? `Edit ${channel.name}` : 'Connect a channel'}>
      <label>
        Platform
        <select value={kind} disabled={Boolean(channel)} onChange={(e) => changeKind(e.target.value as ChannelKind)}>
          {channelKinds.map((k) => (
            <option key={k} value={k}>
              {channelKindLabels[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
      </label>
      <div className="channel-field">
        <label htmlFor={`${ids}-external-id`}>{externalIdLabels[kind]}</label>
        <input
          id={`${ids}-external-id`}
          value={externalId}
          disabled={Boolean(channel)}
          onChange={(e) => setExternalId(e.target.value)}
          required
          maxLength={200}
          aria-describedby={`${ids}-external-id-help`}
        />
        <FieldHint id={`${ids}-external-id-help`} hint={externalIdHint(kind)} />
      </div>
      <label>
        Team
        <select value={teamId} onChange={(e) => setTeamId(e.target.value)} disabled={teams === null}>
          {teams === null && <option value="">Loading teams…</option>}
          {channel && teams?.every((t) => t.id !== channel.teamId) && <option value={channel.teamId}>Current team</option>}
          {teams?.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <div className="channel-field">
        <label htmlFor={`${ids}-mode`}>Receive by</label>
        <select
          id={`${ids}-mode`}
          value={mode}
          onChange={(e) => setMode(e.target.value as IngestMode)}
          {...(currentModeHint && { 'aria-describedby': `${ids}-mode-help` })}
        >
          {ingestModesByKind[kind].map((m) => (
            <option key={m} value={m}>
              {m === 'webhook' ? 'Webhook (the platform calls Carebox)' : 'Polling (Carebox asks the platform)'}
            </option>
          ))}
        </select>
        {currentModeHint && <FieldHint id={`${ids}-mode-help`} hint={currentModeHint} />}
      </div>
      <div className="channel-field">
        <label htmlFor={`${ids}-api`}>API base URL</label>
        <input id={`${ids}-api`} value={apiBaseUrl} onChange={(e) => setApiBaseUrl(e.target.value)} required type="url" aria-describedby={`${ids}-api-help`} />
        <FieldHint id={`${ids}-api-help`} hint={apiBaseUrlHint(kind)} />
      </div>
      {(kind === 'mastodon' || kind === 'bluesky' || kind === 'x') && (
        <div className="channel-field">
          <label htmlFor={`${ids}-handle`}>Our handle</label>
          <input
            id={`${ids}-handle`}
            value={handle}
            onChange={(e) => setHandle(e.target.value)}
            maxLength={200}
            {...(currentHandleHint && { 'aria-describedby': `${ids}-handle-help` })}
          />
          {currentHandleHint && <FieldHint id={`${ids}-handle-help`} hint={currentHandleHint} />}
        </div>
      )}
      {kind === 'whatsapp' && (
        <div className="channel-field">
          <label htmlFor={`${ids}-waba`}>WhatsApp Business Account id</label>
          <input
            id={`${ids}-waba`}
            value={businessAccountId}
            onChange={(e) => setBusinessAccountId(e.target.value)}
            inputMode="numeric"
            autoComplete="off"
            maxLength={30}
            aria-describedby={`${ids}-waba-help`}
          />
          <span id={`${ids}-waba-help`} className="muted field-hint">
            Optional: digits only, from WhatsApp Manager. Needed to send message templates, and for Carebox to subscribe the business account to your app.
          </span>
        </div>
      )}
      {secretsByKind[kind].map((secret) => {
        const hint = secretHint(kind, secret, apiBaseUrl)
        return (
          <div className="channel-field" key={secret}>
            <label htmlFor={`${ids}-${secret}`}>{secretLabels[secret]}</label>
            <input
              id={`${ids}-${secret}`}
              type="password"
              autoComplete="off"
              value={secrets[secret] ?? ''}
              placeholder={channel?.secretsSet.includes(secret) ? 'Set (leave blank to keep)' : ''}
              onChange={(e) => setSecrets({ ...secrets, [secret]: e.target.value })}
              {...(hint && { 'aria-describedby': `${ids}-${secret}-help` })}
            />
            {hint && <FieldHint id={`${ids}-${secret}-help`} hint={hint} />}
          </div>
        )
      })}
      {/* A result is about what it was given (credentials, ids, address): changing any clears it rather than keep saying "Connected". */}
      <ConnectionTest
        key={[kind, mode, apiBaseUrl, externalId, handle, businessAccountId, JSON.stringify(secrets)].join(' ')}
        run={testConnection}
        idLabel={externalIdLabels[kind]}
        currentId={externalId}
        {...(!channel && { onUseId: setExternalId })}
      />
      {channel && <ConversionsSettings channelId={channel.id} kind={channel.kind} />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={isSaving}>
          {channel ? 'Save' : 'Connect'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
