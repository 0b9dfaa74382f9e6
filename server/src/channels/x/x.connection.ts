/**
 * X's side of "Test connection": GET /2/users/me with the channel's user-context token names the account it acts as.
 * Errors are problem+json (`{title, detail}`). https://docs.x.com/x-api/users/user-lookup-me
 */
import { bearerHeaders, checkRefused, checkTimeoutMs, notThePlatform, textField } from '../connection-check.js'
import type { ChannelRuntime, ConnectedAccount } from '../connector.js'
import { platformFetch } from '../http.js'
import { isRecord } from '../payload.js'

export async function checkXConnection(channel: ChannelRuntime): Promise<ConnectedAccount> {
  const headers = bearerHeaders(channel.secrets.accessToken, 'access token')
  const response = await platformFetch(`${channel.config.apiBaseUrl.replace(/\/+$/, '')}/2/users/me`, { headers, timeoutMs: checkTimeoutMs })
  const body = isRecord(response.body) ? response.body : {}
  if (response.status !== 200) {
    const said =
      textField(body, 'detail') ??
      textField(body, 'title') ??
      (Array.isArray(body.errors) && isRecord(body.errors[0]) ? textField(body.errors[0], 'message') : undefined)
    throw checkRefused('X', response, said, 'access token')
  }
  const user = isRecord(body.data) ? body.data : undefined
  const id = user ? textField(user, 'id') : undefined
  if (!user || !id) throw notThePlatform('X', response)
  const handle = textField(user, 'username')
  const name = textField(user, 'name')
  return {
    id,
    ...(name && { name }),
    ...(handle && { handle }),
    summary: `X account ${handle ? `@${handle}` : id}${name && name !== handle ? ` (${name})` : ''}`,
  }
}
