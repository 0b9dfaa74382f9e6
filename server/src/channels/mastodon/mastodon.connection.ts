/**
 * Mastodon's side of "Test connection": GET /api/v1/accounts/verify_credentials names the account the token acts as.
 * Errors are `{error}`. https://docs.joinmastodon.org/methods/accounts/#verify_credentials
 */
import { bearerHeaders, checkRefused, checkTimeoutMs, notThePlatform, textField } from '../connection-check.js'
import type { ChannelRuntime, ConnectedAccount } from '../connector.js'
import { platformFetch } from '../http.js'
import { isRecord } from '../payload.js'

export async function checkMastodonConnection(channel: ChannelRuntime): Promise<ConnectedAccount> {
  const headers = bearerHeaders(channel.secrets.accessToken, 'access token')
  const base = channel.config.apiBaseUrl.replace(/\/+$/, '')
  const response = await platformFetch(`${base}/api/v1/accounts/verify_credentials`, { headers, timeoutMs: checkTimeoutMs })
  const body = isRecord(response.body) ? response.body : {}
  if (response.status !== 200) throw checkRefused('The Mastodon instance', response, textField(body, 'error'), 'access token')
  const id = textField(body, 'id')
  const username = textField(body, 'username')
  if (!id || !username) throw notThePlatform('Mastodon', response)
  // `acct` is the bare username for the instance's own accounts: the full handle adds the instance's host.
  const acct = textField(body, 'acct') ?? username
  const handle = acct.includes('@') ? acct : `${acct}@${new URL(base).host}`
  const name = textField(body, 'display_name')
  return { id, ...(name && { name }), handle, summary: `Mastodon account @${handle}${name ? ` (${name})` : ''}` }
}
