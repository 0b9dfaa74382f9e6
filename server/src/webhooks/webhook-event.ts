import { webhookEventTypes, type WebhookEventType } from '@carebox/shared'
import type { Change } from '../changes/changes.repository.js'

const sendable = new Set<string>(webhookEventTypes)

export function isWebhookEventType(type: string): type is WebhookEventType {
  return sendable.has(type)
}

/** The event id of a change: the webhook-id header and the body's id, the same on every attempt and replay. */
export function webhookEventId(seq: number): string {
  return `evt_${seq}`
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}

/** The change's own facts, snake_case as in the catalogue. */
function fieldsOf(data: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => data[key] !== undefined).map((key) => [snakeCase(key), data[key]]))
}

/**
 * The thin `data` of an event (integrations §3.2): ids and the fields the change recorded; receivers fetch the rest
 * through the API.
 */
function eventData(change: Change): Record<string, unknown> {
  const conversation = change.conversationId ? { conversation: { id: change.conversationId } } : {}
  const actor = change.actor ? { actor: { type: change.actor.type, id: change.actor.id ?? null } } : {}
  const data = change.data
  switch (change.type) {
    case 'conversation.created':
      return { ...conversation, ...fieldsOf(data, ['firstMessageId']) }
    case 'conversation.assigned':
      return { ...conversation, ...fieldsOf(data, ['assigneeId', 'previousAssigneeId']), ...actor }
    case 'conversation.transferred':
      return { ...conversation, ...fieldsOf(data, ['fromTeamId', 'toTeamId', 'fromAssigneeId', 'toAssigneeId']), ...actor }
    case 'conversation.status_changed':
      return { ...conversation, ...fieldsOf(data, ['from', 'to', 'reason', 'snoozedUntil']), ...actor }
    case 'message.created':
      return {
        message: {
          id: change.messageId,
          conversation_id: change.conversationId,
          direction: data.direction === 'inbound' ? 'in' : 'out',
          visibility: data.kind === 'note' ? 'note' : 'public',
          author: data.author ?? null,
        },
      }
    case 'message.updated':
      return { message_id: change.messageId, conversation_id: change.conversationId, delivery_status: data.status ?? null }
    case 'contact.created':
    case 'contact.updated':
      return { contact: { id: change.contactId }, ...fieldsOf(data, ['changed']) }
    case 'contact.merged':
      return { ...fieldsOf(data, ['survivorId', 'mergedIds', 'movedIdentities']), ...actor }
    case 'referral.received':
      return {
        ...conversation,
        contact_id: change.contactId,
        ...fieldsOf(data, ['referralId', 'kind', 'firstTouch', 'source', 'ref', 'adId', 'sourceId', 'sourceType', 'sourceUrl', 'headline']),
      }
    case 'conversation.outcome':
      return { ...conversation, ...fieldsOf(data, ['outcomeId', 'kind', 'eventName', 'value', 'currency']), ...actor }
    case 'sla.breached':
      return { ...conversation, ...fieldsOf(data, ['targetId']), ...actor }
    default:
      return { ...conversation }
  }
}

/** The exact body sent for a change: serialised once, so every attempt signs and sends the same bytes. */
export function webhookBody(change: Change): string {
  return JSON.stringify({
    id: webhookEventId(change.seq),
    type: change.type,
    occurred_at: change.occurredAt.toISOString(),
    team_id: change.teamId,
    data: eventData(change),
  })
}
