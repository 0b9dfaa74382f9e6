import type { ChannelKind, IngestMode, SecretName } from '@carebox/shared'

/** A sentence under a channel form field: what the value is and where the platform shows it. */
export interface FieldHint {
  text: string
  link?: { href: string; label: string }
}

const appDashboard = { href: 'https://developers.facebook.com/apps', label: 'Meta App Dashboard' }
const businessSettings = { href: 'https://business.facebook.com/settings', label: 'Meta Business Settings' }
const graphExplorer = { href: 'https://developers.facebook.com/tools/explorer', label: 'Graph API Explorer' }
const botFather = { href: 'https://t.me/BotFather', label: 'Open @BotFather' }
const xPortal = { href: 'https://developer.x.com/en/portal/dashboard', label: 'X developer portal' }
const blueskyAppPasswords = { href: 'https://bsky.app/settings/app-passwords', label: 'Bluesky app passwords' }

const metaAppSecret: FieldHint = {
  text: 'Lets Carebox check that webhooks really come from Meta. In the App Dashboard: your app → App settings → Basic → App secret.',
  link: appDashboard,
}

const fillsIn = 'Test connection fills it in.'

const externalIdHints: Record<ChannelKind, FieldHint> = {
  facebook: {
    text: 'The Page’s number. It is on the Page under About → Page transparency, and in Business Settings → Accounts → Pages.',
    link: businessSettings,
  },
  instagram: {
    text: 'The Instagram professional account’s number, not its @username: the App Dashboard shows it in your app’s Instagram settings, and the Graph API Explorer as instagram_business_account of the linked Page.',
    link: graphExplorer,
  },
  whatsapp: {
    text: 'WhatsApp’s id for the number, not the phone number itself: App Dashboard → your app → WhatsApp → API Setup shows it under the number.',
    link: appDashboard,
  },
  telegram: { text: `The bot’s number: the digits before the colon in its token. ${fillsIn}` },
  x: { text: `Your X account’s numeric user id, not the @handle. ${fillsIn}` },
  mastodon: { text: `Your account’s number on the instance, not the @handle. ${fillsIn}` },
  bluesky: { text: `Your account’s permanent id (did:plc:…). ${fillsIn}` },
}

const secretHints: Record<ChannelKind, Partial<Record<SecretName, FieldHint>>> = {
  facebook: {
    appSecret: metaAppSecret,
    accessToken: {
      text: 'A Page access token allowed to message as the Page (pages_messaging; pages_manage_engagement to answer comments). Make it for a system user in Business Settings → Users → System users, so that it does not expire.',
      link: businessSettings,
    },
  },
  instagram: {
    appSecret: { ...metaAppSecret, text: `${metaAppSecret.text} With Instagram Login, the Instagram app secret.` },
    accessToken: {
      text: 'A token with instagram_basic and instagram_manage_messages (instagram_manage_comments for comments): the linked Page’s access token, or an Instagram Login token. A system user’s token in Business Settings does not expire.',
      link: businessSettings,
    },
  },
  whatsapp: {
    appSecret: metaAppSecret,
    accessToken: {
      text: 'A system user’s token with whatsapp_business_messaging (whatsapp_business_management for templates): Business Settings → Users → System users → Generate new token. The temporary token on API Setup stops working after 24 hours.',
      link: businessSettings,
    },
  },
  telegram: {
    botToken: { text: 'The token @BotFather gave when the bot was made. To see it again: @BotFather → /mybots → your bot → API Token.', link: botFather },
    webhookSecret: {
      text: 'Webhook mode only: a password you make up (1 to 256 letters, digits, _ or -). Carebox gives it to Telegram when it registers the webhook, and takes only updates that carry it.',
    },
  },
  x: {
    consumerSecret: { text: 'Your X app’s API Key Secret, for X’s webhook checks: developer portal → your app → Keys and tokens.', link: xPortal },
    accessToken: {
      text: 'A user access token of the brand account (OAuth 2.0 with tweet.read, tweet.write, users.read, dm.read and dm.write), from the developer portal or your app’s sign-in.',
      link: xPortal,
    },
  },
  mastodon: {
    accessToken: {
      text: 'On your instance: Preferences → Development → New application, with the read and write scopes; open the application and copy “Your access token”.',
    },
  },
  bluesky: {
    identifier: { text: 'Your Bluesky handle (such as brand.bsky.social) or your DID.' },
    appPassword: { text: 'An app password, not the account’s password: Bluesky → Settings → Privacy and security → App passwords.', link: blueskyAppPasswords },
  },
}

const apiBaseUrlHints: Record<ChannelKind, string> = {
  facebook: 'The Graph API address with its version. Keep the one proposed unless you test against the platform simulator.',
  instagram: 'The Graph API address with its version (graph.instagram.com for Instagram Login). Keep the one proposed unless you test against the simulator.',
  whatsapp: 'The Graph API address with its version. Keep the one proposed unless you test against the platform simulator.',
  telegram: 'https://api.telegram.org, unless you run your own Bot API server or test against the platform simulator.',
  x: 'https://api.x.com, unless you test against the platform simulator.',
  mastodon: 'Your instance’s address, such as https://mastodon.social.',
  bluesky: 'Your account’s server: https://bsky.social for accounts Bluesky hosts.',
}

const handleHints: Partial<Record<ChannelKind, string>> = {
  x: 'Your X username, without the @.',
  mastodon: 'Your account as others write it, such as care@mastodon.social.',
  bluesky: 'Your handle, such as brand.bsky.social.',
}

export function externalIdHint(kind: ChannelKind): FieldHint {
  return externalIdHints[kind]
}

/** Mastodon's Development page is on the admin's own instance: linked once its address is typed. */
export function secretHint(kind: ChannelKind, secret: SecretName, apiBaseUrl: string): FieldHint | undefined {
  const hint = secretHints[kind][secret]
  if (kind === 'mastodon' && secret === 'accessToken' && hint && /^https?:\/\/[^\s/]+/.test(apiBaseUrl) && URL.canParse(apiBaseUrl)) {
    const instance = new URL(apiBaseUrl)
    return { ...hint, link: { href: `${instance.origin}/settings/applications`, label: `Development settings on ${instance.host}` } }
  }
  return hint
}

export function apiBaseUrlHint(kind: ChannelKind): FieldHint {
  return { text: apiBaseUrlHints[kind] }
}

export function handleHint(kind: ChannelKind): FieldHint | undefined {
  const text = handleHints[kind]
  return text ? { text } : undefined
}

/** Where the two ways in differ in what they need (the kinds that offer both). */
export function modeHint(kind: ChannelKind, mode: IngestMode): FieldHint | undefined {
  if (kind === 'telegram') {
    return mode === 'polling'
      ? { text: 'Carebox asks Telegram for new messages (getUpdates) again and again: no public address needed, and no webhook to register.' }
      : { text: 'Telegram calls Carebox, which needs a public HTTPS address. After connecting, register the webhook from the channel’s row.' }
  }
  if (kind === 'x') {
    return mode === 'polling'
      ? { text: 'Carebox asks X for new mentions and DMs with the access token, again and again.' }
      : { text: 'X calls Carebox through the Account Activity API, which your X developer account must have access to.' }
  }
  return undefined
}
