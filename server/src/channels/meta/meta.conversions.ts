/**
 * Meta's Conversions API for Business Messaging: one outcome of a conversation (a purchase, a lead) reported to the
 * dataset of the Page or WhatsApp account, so the ads that start conversations are measured by what they led to.
 * `POST {apiBaseUrl}/{dataset_id}/events` (the channel's apiBaseUrl carries the Graph version, as every Meta call
 * here). Shape: integrations spec §4.5;
 * https://developers.facebook.com/docs/marketing-api/conversions-api/business-messaging
 */
import type { ChannelKind } from '@carebox/shared'
import { ConnectorError } from '../connector.js'
import { platformFetch } from '../http.js'
import { apiUrl } from './meta.graph.js'
import { isRecord } from './meta.payloads.js'

/** Meta answers an event within a second or two. */
const sendTimeoutMs = 10_000

export interface ConversionFacts {
  channelKind: ChannelKind
  /** Page id (Messenger), Instagram account id, WhatsApp phone number id: the channel's externalId. */
  accountId: string
  /** WhatsApp: the business account (WABA) id, from the channel's settings. */
  businessAccountId?: string
  /** The customer's page-scoped id (PSID, IGSID), for Messenger and Instagram. */
  customerId?: string
  /** WhatsApp: the click id the chat's click-to-WhatsApp referral carried. */
  ctwaClid?: string
  kind: 'lead' | 'purchase'
  value?: number
  currency?: string
  /** When the outcome was recorded. */
  at: Date
  /** Ours, stable across retries: Meta deduplicates on it. */
  eventId: string
}

/** For leads a BSP reports that `Lead` is refused (subcode 2804066) and `LeadSubmitted` taken (spec §4.5, unconfirmed on Meta's page). */
export const conversionEventNames = { lead: 'LeadSubmitted', purchase: 'Purchase' } as const

/**
 * The request body for one outcome, or why Meta could not attribute it (nothing worth sending). Messenger:
 * `page_id` + `page_scoped_user_id`; WhatsApp: `whatsapp_business_account_id` + `ctwa_clid`; Instagram's channel
 * value and `user_data` keys are unconfirmed (spec §4.5): sent as `instagram` with `ig_account_id` + `ig_sid`.
 */
export function conversionEventBody(facts: ConversionFacts): { body: { data: Record<string, unknown>[] } } | { skip: string } {
  let messagingChannel: string
  let userData: Record<string, string>
  switch (facts.channelKind) {
    case 'facebook':
      if (!facts.customerId) return { skip: 'Only private Messenger conversations can be reported to Meta, not public comments.' }
      messagingChannel = 'messenger'
      userData = { page_id: facts.accountId, page_scoped_user_id: facts.customerId }
      break
    case 'instagram':
      if (!facts.customerId) return { skip: 'Only Instagram direct messages can be reported to Meta, not comments.' }
      messagingChannel = 'instagram'
      userData = { ig_account_id: facts.accountId, ig_sid: facts.customerId }
      break
    case 'whatsapp':
      if (!facts.ctwaClid) {
        return { skip: 'This chat did not start from a click-to-WhatsApp ad (WhatsApp sent no click id), so Meta has no ad to credit it to.' }
      }
      if (!facts.businessAccountId) return { skip: 'Set the WhatsApp Business Account id in the channel settings: Meta needs it with the click id.' }
      messagingChannel = 'whatsapp'
      userData = { whatsapp_business_account_id: facts.businessAccountId, ctwa_clid: facts.ctwaClid }
      break
    default:
      return { skip: 'Only Facebook, Instagram and WhatsApp conversations can be reported to Meta.' }
  }
  return {
    body: {
      data: [
        {
          event_name: conversionEventNames[facts.kind],
          event_time: Math.floor(facts.at.getTime() / 1000),
          event_id: facts.eventId,
          action_source: 'business_messaging',
          messaging_channel: messagingChannel,
          user_data: userData,
          ...(facts.kind === 'purchase' && facts.value !== undefined && facts.currency
            ? { custom_data: { currency: facts.currency, value: facts.value } }
            : {}),
        },
      ],
    },
  }
}

/**
 * Sends the body to the dataset. Throws a ConnectorError: retryable when Meta had a passing problem (5xx, 429,
 * throttling, a timeout: the event id makes a repeat harmless), not when it refused the event (4xx).
 */
export async function sendConversionEvent(apiBaseUrl: string, datasetId: string, accessToken: string | undefined, body: object): Promise<void> {
  if (!accessToken) {
    throw new ConnectorError("No access token for Meta's Conversions API: set one in the channel's settings", { retryable: false, outcome: 'not_sent' })
  }
  const response = await platformFetch(apiUrl(apiBaseUrl, datasetId, 'events'), {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    timeoutMs: sendTimeoutMs,
  })
  if (response.status >= 200 && response.status < 300 && !(isRecord(response.body) && isRecord(response.body.error))) return
  const error = isRecord(response.body) && isRecord(response.body.error) ? response.body.error : undefined
  const code = typeof error?.code === 'number' ? error.code : undefined
  const subcode = typeof error?.error_subcode === 'number' ? error.error_subcode : undefined
  const codes = [code === undefined ? '' : `code ${code}`, subcode === undefined ? '' : `subcode ${subcode}`].filter(Boolean).join(', ')
  const said = typeof error?.message === 'string' ? ` Meta said: "${error.message.slice(0, 500)}"${codes ? ` (${codes})` : ''}` : ''
  // Throttling (4, 17, 32, 613) and Meta's own passing failures (1, 2) come back with 4xx or 5xx alike.
  const isPassing = response.status >= 500 || response.status === 429 || response.status === 408 || [1, 2, 4, 17, 32, 613].includes(code ?? -1)
  if (isPassing) {
    throw new ConnectorError(`Meta could not take the event (HTTP ${response.status}); it will be sent again.${said}`, {
      retryable: true,
      status: response.status,
      ...(code !== undefined && { platformCode: String(code) }),
    })
  }
  throw new ConnectorError(`Meta refused the event (HTTP ${response.status}).${said}`, {
    retryable: false,
    status: response.status,
    ...(code !== undefined && { platformCode: String(code) }),
  })
}
