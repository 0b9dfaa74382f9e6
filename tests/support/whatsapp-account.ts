import { createChannel } from '../../server/src/channels/channels.service.js'
import type { AppContext } from '../../server/src/context.js'
import type { Simulator } from '../../server/src/simulator/index.js'

/**
 * A WhatsApp number of a business account, connected on both sides: a Carebox channel sending to the simulator,
 * and the simulator's account delivering its webhooks to `appUrl`. Resolves with the channel's id.
 */
export async function connectWhatsApp(
  ctx: AppContext,
  sim: Simulator,
  appUrl: string,
  account: { name: string; phoneNumberId: string; businessAccountId: string; appSecret: string },
): Promise<string> {
  const secrets = { appSecret: account.appSecret, accessToken: 'wa-token' }
  const channel = await createChannel(ctx, {
    kind: 'whatsapp',
    name: account.name,
    externalId: account.phoneNumberId,
    settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('whatsapp'), businessAccountId: account.businessAccountId },
    secrets,
  })
  sim.addAccount({
    kind: 'whatsapp',
    externalId: account.phoneNumberId,
    businessAccountId: account.businessAccountId,
    secrets,
    webhookUrl: `${appUrl}/webhooks/meta`,
  })
  return channel.id
}
