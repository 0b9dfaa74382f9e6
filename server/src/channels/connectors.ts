import type { ChannelKind } from '@carebox/shared'
import { blueskyConnector } from './bluesky/bluesky.connector.js'
import type { Connector } from './connector.js'
import { mastodonConnector } from './mastodon/mastodon.connector.js'
import { facebookConnector } from './meta/facebook.connector.js'
import { instagramConnector } from './meta/instagram.connector.js'
import { whatsappConnector } from './meta/whatsapp.connector.js'
import { telegramConnector } from './telegram/telegram.connector.js'
import { xConnector } from './x/x.connector.js'

/** Every platform's connector. Adding a kind to channelKinds without one here fails to compile. */
export const connectors: Readonly<Record<ChannelKind, Connector>> = {
  facebook: facebookConnector,
  instagram: instagramConnector,
  whatsapp: whatsappConnector,
  telegram: telegramConnector,
  x: xConnector,
  mastodon: mastodonConnector,
  bluesky: blueskyConnector,
}
