import type { ChannelKind } from '@carebox/shared'

/** A kind of channel in a word, for tables and checkbox lists (the settings form's labels are longer). */
export const channelKindNames: Record<ChannelKind, string> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
  x: 'X',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
}
