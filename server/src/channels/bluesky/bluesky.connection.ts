/**
 * Bluesky's side of "Test connection": com.atproto.server.createSession with the handle and app password names the
 * account (DID and handle). It makes a session of its own, not the connector's cached one, as the form's values may
 * differ from the saved ones; createSession allows 30 per 5 minutes, plenty for a person pressing a button.
 * https://docs.bsky.app/docs/api/com-atproto-server-create-session
 */
import { checkRefused, checkTimeoutMs, ConnectionProblem, missingCredential, notThePlatform, textField } from '../connection-check.js'
import type { ChannelRuntime, ConnectedAccount } from '../connector.js'
import { platformFetch } from '../http.js'
import { isRecord } from '../payload.js'

export async function checkBlueskyConnection(channel: ChannelRuntime): Promise<ConnectedAccount> {
  const identifier = channel.secrets.identifier?.trim().replace(/^@/, '')
  const password = channel.secrets.appPassword?.trim()
  if (!identifier) throw missingCredential('handle or DID')
  if (!password) throw missingCredential('app password')
  const response = await platformFetch(`${channel.config.apiBaseUrl.replace(/\/+$/, '')}/xrpc/com.atproto.server.createSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ identifier, password }),
    timeoutMs: checkTimeoutMs,
  })
  const body = isRecord(response.body) ? response.body : {}
  if (response.status === 401) {
    throw new ConnectionProblem(
      `Bluesky does not accept this handle and app password (${textField(body, 'message') ?? 'AuthenticationRequired'}). Check the handle, and create a new app password in Bluesky under Settings → Privacy and security → App passwords.`,
      401,
      textField(body, 'error'),
    )
  }
  if (response.status !== 200) throw checkRefused('Bluesky', response, textField(body, 'message') ?? textField(body, 'error'), 'handle and app password')
  const did = textField(body, 'did')
  if (!did) throw notThePlatform('Bluesky', response)
  const handle = textField(body, 'handle')
  return { id: did, ...(handle && { handle }), summary: `Bluesky account ${handle ? `@${handle}` : did} (${did})` }
}
