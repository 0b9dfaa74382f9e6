import type { WebhookEndpoint, WebhookEventType } from '@carebox/shared'
import { useId, useMemo } from 'react'
import type { WebhookEndpointDraft } from '../../store/webhooks.slice'
import { useStore } from '../../store/store'
import { TeamSelect } from './TeamSelect'
import { FormFooter } from './FormFooter'
import { useEditForm } from './useEditForm'
import { WebhookEventTypesField } from './WebhookEventTypesField'

interface Fields {
  url: string
  description: string
  /** null: all events. */
  eventTypes: WebhookEventType[] | null
  teamId: string
  allowPrivateNetwork: boolean
}

const draftKeys = ['url', 'description', 'eventTypes', 'teamId', 'allowPrivateNetwork'] as const

function fieldsOf(endpoint: WebhookEndpoint | undefined): Fields {
  if (!endpoint) return { url: '', description: '', eventTypes: null, teamId: '', allowPrivateNetwork: false }
  return {
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes.length === 0 ? null : endpoint.eventTypes,
    teamId: endpoint.teamId ?? '',
    allowPrivateNetwork: endpoint.allowPrivateNetwork,
  }
}

function draftOf(fields: Fields): WebhookEndpointDraft | { error: string } {
  const url = fields.url.trim()
  if (!/^https?:\/\//i.test(url)) return { error: 'The URL starts with https:// (or http://).' }
  // The API reads an empty list as every type: ticking none must not quietly mean all.
  if (fields.eventTypes !== null && fields.eventTypes.length === 0) return { error: 'Choose at least one event, or All events.' }
  return {
    url,
    description: fields.description.trim(),
    eventTypes: fields.eventTypes ?? [],
    teamId: fields.teamId || null,
    allowPrivateNetwork: fields.allowPrivateNetwork,
  }
}

/** Adds a webhook endpoint, or edits one: where to send, which events, whose. */
export function WebhookEndpointForm({
  endpoint,
  onCreated,
  onDone,
}: {
  endpoint?: WebhookEndpoint
  /** After adding: the signing secret, to show once. */
  onCreated?: (url: string, secret: string) => void
  onDone: () => void
}) {
  const create = useStore((s) => s.createWebhookEndpoint)
  const update = useStore((s) => s.updateWebhookEndpoint)
  const initial = useMemo(() => fieldsOf(endpoint), [endpoint])
  const ids = useId()
  const { fields, set, error, isSaving, submit } = useEditForm({
    initial,
    editingId: endpoint?.id,
    draftOf,
    keys: draftKeys,
    create: async (draft) => {
      const outcome = await create(draft)
      if (!outcome.ok) return outcome.error
      onCreated?.(draft.url, outcome.value)
      return null
    },
    update,
    onDone,
  })

  return (
    <form className="settings-form webhook-form" onSubmit={(e) => void submit(e)} aria-label={endpoint ? `Edit ${endpoint.url}` : 'Add an endpoint'}>
      <label className="webhook-form-wide">
        URL
        <input
          inputMode="url"
          value={fields.url}
          onChange={(e) => set('url', e.target.value)}
          required
          maxLength={2000}
          placeholder="https://crm.example.com/hooks/carebox"
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <label>
        Description
        <input value={fields.description} onChange={(e) => set('description', e.target.value)} maxLength={200} placeholder="e.g. CRM sync" />
      </label>
      <TeamSelect value={fields.teamId} onChange={(teamId) => set('teamId', teamId)} anyLabel="Every team" savedTeamId={endpoint?.teamId} />
      <div className="webhook-form-wide">
        <WebhookEventTypesField chosen={fields.eventTypes} onChange={(next) => set('eventTypes', next)} />
      </div>
      <div className="webhook-form-wide webhook-private">
        <label className="webhook-check">
          <input
            type="checkbox"
            checked={fields.allowPrivateNetwork}
            onChange={(e) => set('allowPrivateNetwork', e.target.checked)}
            aria-describedby={`${ids}-private`}
          />
          Allow a private network address
        </label>
        <span id={`${ids}-private`} className="muted">
          Only for a receiver inside your own network (an on-premise system, or this machine). Carebox otherwise refuses addresses that are not public, so that
          an endpoint can never reach into the network Carebox runs in.
        </span>
      </div>
      <FormFooter error={error} errorClassName="webhook-form-wide" isSaving={isSaving} submitLabel={endpoint ? 'Save' : 'Add endpoint'} onCancel={onDone} />
    </form>
  )
}
