/**
 * The Meta channels' side of "Test connection" and "Register webhook".
 * - Test: GET /{id} with the channel's token asks Graph about the very Page, Instagram account or WhatsApp phone
 *   number the channel is for (a token that works but cannot see that object would fail every send); a Page or
 *   Instagram form without an id yet asks GET /me, which a Page token answers with its Page.
 * - Register: POST /{page-id}/subscribed_apps subscribes the Page to the app (Facebook), POST /{waba-id}/subscribed_apps
 *   the WhatsApp Business Account. The app's callback URL and verify token are set in the App Dashboard by a person:
 *   Graph sets them only with an app token, which Carebox does not hold.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started ,
 * https://developers.facebook.com/docs/graph-api/guides/error-handling
 */
import { bearerHeaders, checkRefused, checkTimeoutMs, ConnectionProblem, notThePlatform, textField } from '../connection-check.js'
import type { ChannelRuntime, ConnectedAccount, Connector } from '../connector.js'
import { platformFetch, type PlatformResponse } from '../http.js'
import { isRecord } from '../payload.js'
import { apiUrl, type MetaPlatform } from './meta.graph.js'

type MetaKind = 'facebook' | 'instagram' | 'whatsapp'

const platforms: Record<MetaKind, MetaPlatform> = { facebook: 'Facebook', instagram: 'Instagram', whatsapp: 'WhatsApp' }

/** What each kind's object is called, and which fields tell an admin it is the right one. */
const objects: Record<MetaKind, { noun: string; idLabel: string; fields: string }> = {
  facebook: { noun: 'Page', idLabel: 'Page ID', fields: 'id,name' },
  instagram: { noun: 'Instagram account', idLabel: 'Instagram professional account ID', fields: 'id,username,name' },
  whatsapp: { noun: 'phone number', idLabel: 'Phone number ID', fields: 'id,display_phone_number,verified_name' },
}

/** The Page fields the Facebook connector reads (Messenger and the Page feed). */
const pageFields = [
  'messages',
  'message_echoes',
  'message_deliveries',
  'message_reads',
  'message_reactions',
  'messaging_postbacks',
  'messaging_referrals',
  'feed',
]

export function metaConnectionMethods(kind: MetaKind): Pick<Connector, 'checkConnection' | 'registerWebhook'> {
  return {
    checkConnection: (channel) => checkMetaConnection(kind, channel),
    ...(kind !== 'instagram' && { registerWebhook: (_url: string, channel: ChannelRuntime) => subscribeApp(kind, channel) }),
  }
}

async function checkMetaConnection(kind: MetaKind, channel: ChannelRuntime): Promise<ConnectedAccount> {
  const platform = platforms[kind]
  const object = objects[kind]
  const headers = bearerHeaders(channel.secrets.accessToken, 'access token')
  const id = channel.externalId.trim()
  // A WhatsApp token's /me is a system user, which says nothing about the number: the number's id is needed.
  if (!id && kind === 'whatsapp') throw new ConnectionProblem('Fill in the Phone number ID to test the connection: Carebox asks WhatsApp about that number.')
  const url = `${apiUrl(channel.config.apiBaseUrl, id || 'me')}?fields=${object.fields}`
  const response = await platformFetch(url, { headers, timeoutMs: checkTimeoutMs })
  if (response.status !== 200 || (isRecord(response.body) && isRecord(response.body.error))) throw graphRefusal(kind, response, id)
  const node = isRecord(response.body) ? response.body : undefined
  const foundId = node ? textField(node, 'id') : undefined
  if (!node || !foundId) throw notThePlatform(platform, response)
  const name = textField(node, kind === 'whatsapp' ? 'verified_name' : 'name')
  const handle = textField(node, kind === 'whatsapp' ? 'display_phone_number' : 'username')
  return { id: foundId, ...(name && { name }), ...(handle && { handle }), summary: summaryOf(kind, foundId, name, handle) }
}

function summaryOf(kind: MetaKind, id: string, name: string | undefined, handle: string | undefined): string {
  if (kind === 'facebook') return `Facebook Page ${name ? `“${name}” ` : ''}(${id})`
  if (kind === 'instagram') return `Instagram account ${handle ? `@${handle}` : (name ?? id)} (${id})`
  return `WhatsApp number ${handle ?? id}${name ? ` (“${name}”)` : ''}`
}

async function subscribeApp(kind: MetaKind, channel: ChannelRuntime): Promise<string> {
  const headers = bearerHeaders(channel.secrets.accessToken, 'access token')
  const target = kind === 'whatsapp' ? channel.config.businessAccountId : channel.externalId
  if (!target)
    throw new ConnectionProblem('Fill in the WhatsApp Business Account id first: WhatsApp subscribes an app to the business account, not to one number.')
  const body = kind === 'facebook' ? { subscribed_fields: pageFields.join(',') } : {}
  const response = await platformFetch(apiUrl(channel.config.apiBaseUrl, target, 'subscribed_apps'), {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    timeoutMs: checkTimeoutMs,
  })
  if (response.status !== 200 || (isRecord(response.body) && isRecord(response.body.error))) throw graphRefusal(kind, response, target)
  if (!isRecord(response.body) || response.body.success !== true) throw notThePlatform(platforms[kind], response)
  return kind === 'facebook'
    ? `The Page is subscribed to your Meta app for ${pageFields.join(', ')}. Meta sends them to the callback URL set in the App Dashboard.`
    : 'The WhatsApp Business Account is subscribed to your Meta app. Meta sends its messages and statuses to the callback URL set in the App Dashboard.'
}

/** Graph's `{error:{message, code, error_subcode}}`, in words that say what to fix. */
function graphRefusal(kind: MetaKind, response: PlatformResponse, id: string): ConnectionProblem {
  const platform = platforms[kind]
  const error = isRecord(response.body) && isRecord(response.body.error) ? response.body.error : {}
  const code = typeof error.code === 'number' ? error.code : undefined
  const subcode = typeof error.error_subcode === 'number' ? error.error_subcode : undefined
  const said = textField(error, 'message')
  const quote = said ? ` Meta said: "${said.slice(0, 300)}".` : ''
  const platformCode = code === undefined ? undefined : String(code)
  if (code === 190) {
    return new ConnectionProblem(
      `Meta does not accept this access token: it is mistyped, expired or revoked (code 190).${quote} Generate a new one, for a system user in Business Settings so that it does not expire.`,
      response.status,
      platformCode,
    )
  }
  if (code === 100 && subcode === 33) {
    return new ConnectionProblem(
      `Meta has no ${objects[kind].noun} ${id} that this token can see.${quote} Check the ${objects[kind].idLabel}, and that the token was made for it.`,
      response.status,
      platformCode,
    )
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return new ConnectionProblem(`The token lacks a permission ${platform} needs for this (code ${code}).${quote}`, response.status, platformCode)
  }
  return checkRefused(platform, response, said, 'access token', platformCode)
}
