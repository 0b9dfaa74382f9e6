import type { AuditRecord } from '../audit/audit.repository.js'
import type { AppContext } from '../context.js'
import { demoReceiverPath, type Simulator } from '../simulator/index.js'
import { createWebhookEndpoint, listWebhookEndpoints, updateWebhookEndpoint } from '../webhooks/webhooks.service.js'

export const demoReceiverDescription = 'The demo’s example receiver, in the platform simulator'

/** The demo's endpoint, whatever port the simulator had when it was made: loopback, on the receiver's path. */
function isDemoReceiverUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.hostname === '127.0.0.1' && parsed.pathname === demoReceiverPath
  } catch {
    return false
  }
}

/**
 * The secrets the endpoint signs with now, read where Carebox keeps them (sealed in its row, with the server's key,
 * which the demo shares as part of the same process): no second copy of the secret is made anywhere, and a
 * rotation from Settings → Integrations reaches the receiver at its next delivery. The old secret counts until its
 * overlap ends, as it does for Carebox's own signing.
 */
async function endpointSecrets(ctx: AppContext, endpointId: string): Promise<string[]> {
  const row = await ctx.db
    .selectFrom('webhookEndpoints')
    .select(['secretCiphertext', 'previousSecretCiphertext', 'previousSecretUntil'])
    .where('id', '=', endpointId)
    .executeTakeFirst()
  if (!row) return []
  const secrets = [ctx.secrets.open<string>(row.secretCiphertext)]
  if (row.previousSecretCiphertext && row.previousSecretUntil && row.previousSecretUntil > ctx.clock.now()) {
    secrets.push(ctx.secrets.open<string>(row.previousSecretCiphertext))
  }
  return secrets
}

/**
 * Points one webhook endpoint, subscribed to every event, at the simulator's example receiver, and tells the
 * receiver how to check its signatures. The endpoint is made once and found again at the next start by its URL's
 * path on loopback (an admin may change its description or events): a restart moves it to the new simulator's
 * port instead of adding another. Loopback is a private address, so the endpoint carries the admin's on-premise
 * exception. The demo owns this endpoint as it owns its channels: each demo start connects it again (enabled, and
 * made anew if it was deleted), and a start with the demo off disables it. Returns the receiver's URL.
 */
export async function connectDemoReceiver(ctx: AppContext, sim: Simulator, actor: AuditRecord['actor']): Promise<string> {
  const url = `${sim.url}${demoReceiverPath}`
  const existing = (await listWebhookEndpoints(ctx)).find((endpoint) => isDemoReceiverUrl(endpoint.url))
  let endpointId: string
  if (existing) {
    endpointId = existing.id
    if (existing.url !== url || !existing.allowPrivateNetwork || !existing.enabled) {
      await updateWebhookEndpoint(ctx, actor, endpointId, { url, allowPrivateNetwork: true, ...(!existing.enabled && { enabled: true }) })
    }
  } else {
    const created = await createWebhookEndpoint(ctx, actor, {
      url,
      description: demoReceiverDescription,
      eventTypes: [],
      teamId: null,
      allowPrivateNetwork: true,
    })
    endpointId = created.endpoint.id
  }
  sim.demoReceiver.trust(() => endpointSecrets(ctx, endpointId))
  return url
}

/**
 * With the demo off, its endpoint would fail every delivery for days (nothing listens on the old simulator's
 * port): it is disabled, like the demo's channels, and the next demo start enables it again.
 */
export async function disableDemoReceiver(ctx: AppContext, actor: AuditRecord['actor']): Promise<void> {
  const endpoint = (await listWebhookEndpoints(ctx)).find((e) => e.enabled && isDemoReceiverUrl(e.url))
  if (!endpoint) return
  await updateWebhookEndpoint(ctx, actor, endpoint.id, { enabled: false })
  ctx.log.info({ url: endpoint.url }, 'the demo’s webhook endpoint disabled (CAREBOX_DEMO=off): its example receiver is not running')
}
