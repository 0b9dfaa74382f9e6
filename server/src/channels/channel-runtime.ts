import type { ChannelKind } from '@carebox/shared'
import type { AppContext } from '../context.js'
import type { ChannelRow } from './channels.repository.js'
import type { ChannelConfig, ChannelRuntime, ChannelSecrets } from './connector.js'

export const metaKinds: readonly ChannelKind[] = ['facebook', 'instagram', 'whatsapp']

export function isMetaKind(kind: string): boolean {
  return metaKinds.includes(kind as ChannelKind)
}

/** A channel as its connector sees it: config plus decrypted secrets. Meta's verify token joins the secrets. */
export function toRuntime(ctx: AppContext, row: ChannelRow): ChannelRuntime {
  const secrets = ctx.secrets.open<ChannelSecrets>(row.secretsCiphertext)
  if (isMetaKind(row.kind)) secrets.webhookSecret = row.verifyToken
  return {
    id: row.id,
    kind: row.kind as ChannelKind,
    externalId: row.externalId,
    config: row.config as unknown as ChannelConfig,
    secrets,
  }
}
