import { Type, type Static } from '@sinclair/typebox'

/**
 * The platforms Carebox connects to. A `facebook` channel is one Facebook Page: its Messenger DMs and its
 * public comments and mentions. An `instagram` channel is one professional account: DMs, comments, @mentions.
 */
export const channelKinds = ['facebook', 'instagram', 'whatsapp', 'telegram', 'x', 'mastodon', 'bluesky'] as const
export const ChannelKind = Type.Union(channelKinds.map((k) => Type.Literal(k)))
export type ChannelKind = (typeof channelKinds)[number]

export const channelKindLabels: Record<ChannelKind, string> = {
  facebook: 'Facebook Page (Messenger and comments)',
  instagram: 'Instagram (DMs, comments, mentions)',
  whatsapp: 'WhatsApp Cloud API',
  telegram: 'Telegram bot',
  x: 'X (DMs and mentions)',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
}

/** How a channel receives: platforms push to our webhook, or we poll their API. */
export const IngestMode = Type.Union([Type.Literal('webhook'), Type.Literal('polling')])
export type IngestMode = Static<typeof IngestMode>
