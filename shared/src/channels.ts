import { Type, type Static } from '@sinclair/typebox'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'

/**
 * The platforms Carebox connects to. A `facebook` channel is one Facebook Page: its Messenger DMs and its
 * public comments and mentions. An `instagram` channel is one professional account: DMs, comments, @mentions.
 */
export const channelKinds = ['facebook', 'instagram', 'whatsapp', 'telegram', 'x', 'mastodon', 'bluesky'] as const
export const ChannelKind = StringEnum(channelKinds)
export type ChannelKind = (typeof channelKinds)[number]

/** A kind of channel in a word: the platform's name, for tables, lists and sentences (the labels below are longer). */
export const channelKindNames: Record<ChannelKind, string> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
  x: 'X',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
}

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

/** Which ingest modes each platform offers. Telegram's are mutually exclusive per bot, as Telegram requires. */
export const ingestModesByKind: Record<ChannelKind, readonly IngestMode[]> = {
  facebook: ['webhook'],
  instagram: ['webhook'],
  whatsapp: ['webhook'],
  telegram: ['webhook', 'polling'],
  x: ['webhook', 'polling'],
  mastodon: ['polling'],
  bluesky: ['polling'],
}

export const secretNames = ['appSecret', 'accessToken', 'botToken', 'webhookSecret', 'consumerSecret', 'identifier', 'appPassword'] as const
export type SecretName = (typeof secretNames)[number]

/** The secrets each platform needs, in the order the settings form asks for them. */
export const secretsByKind: Record<ChannelKind, readonly SecretName[]> = {
  facebook: ['appSecret', 'accessToken'],
  instagram: ['appSecret', 'accessToken'],
  whatsapp: ['appSecret', 'accessToken'],
  telegram: ['botToken', 'webhookSecret'],
  x: ['consumerSecret', 'accessToken'],
  mastodon: ['accessToken'],
  bluesky: ['identifier', 'appPassword'],
}

export const secretLabels: Record<SecretName, string> = {
  appSecret: 'App secret',
  accessToken: 'Access token',
  botToken: 'Bot token',
  webhookSecret: 'Webhook secret token',
  consumerSecret: 'API key secret (consumer secret)',
  identifier: 'Handle or DID',
  appPassword: 'App password',
}

export const externalIdLabels: Record<ChannelKind, string> = {
  facebook: 'Page ID',
  instagram: 'Instagram professional account ID',
  whatsapp: 'Phone number ID',
  telegram: 'Bot user ID',
  x: 'X user ID',
  mastodon: 'Account ID',
  bluesky: 'DID',
}

const SecretValue = Type.Optional(Type.String({ minLength: 1, maxLength: 4096 }))
export const ChannelSecretsInput = Type.Object(
  {
    appSecret: SecretValue,
    accessToken: SecretValue,
    botToken: SecretValue,
    webhookSecret: SecretValue,
    consumerSecret: SecretValue,
    identifier: SecretValue,
    appPassword: SecretValue,
  },
  { additionalProperties: false },
)
export type ChannelSecretsInput = Static<typeof ChannelSecretsInput>

export const ChannelSettings = Type.Object(
  {
    mode: IngestMode,
    apiBaseUrl: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 }),
    pollIntervalMs: Type.Optional(Type.Integer({ minimum: 200, maximum: 3_600_000 })),
    handle: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** WhatsApp: the WhatsApp Business Account (WABA) id, whose message templates the channel may send. */
    businessAccountId: Type.Optional(Type.String({ pattern: '^[0-9]{1,30}$' })),
  },
  { additionalProperties: false },
)
export type ChannelSettings = Static<typeof ChannelSettings>

export const Channel = Type.Object({
  id: Id,
  kind: ChannelKind,
  name: Type.String(),
  externalId: Type.String(),
  enabled: Type.Boolean(),
  /** The team whose members work this channel's conversations. */
  teamId: Id,
  settings: ChannelSettings,
  /** Where the platform must send webhooks (null for polling channels). */
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  /** Meta's hub.verify_token to paste into the app dashboard (null for other platforms). */
  verifyToken: Type.Union([Type.String(), Type.Null()]),
  /** Names of the secrets that are set; their values are never returned. */
  secretsSet: Type.Array(Type.String()),
  lastEventAt: Type.Union([IsoDateTime, Type.Null()]),
  lastPolledAt: Type.Union([IsoDateTime, Type.Null()]),
  errorCount: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: Type.Union([IsoDateTime, Type.Null()]),
  deadLetterCount: Type.Integer(),
  /**
   * Replies out through this channel: after several sends in a row fail (the platform hangs, errs or throttles),
   * sending pauses as a whole until `pausedUntil`, then one send tries again (a circuit breaker).
   */
  sending: Type.Object({
    consecutiveFailures: Type.Integer(),
    pausedUntil: Type.Union([IsoDateTime, Type.Null()]),
    /** Why sending is paused, in the platform's words. */
    reason: Type.Union([Type.String(), Type.Null()]),
  }),
  createdAt: IsoDateTime,
})
export type Channel = Static<typeof Channel>

export const ChannelCreate = Type.Object(
  {
    kind: ChannelKind,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    externalId: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9:._@+-]+$' }),
    settings: ChannelSettings,
    secrets: ChannelSecretsInput,
    enabled: Type.Optional(Type.Boolean()),
    /** Defaults to the first team. */
    teamId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type ChannelCreate = Static<typeof ChannelCreate>

export const ChannelUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    enabled: Type.Optional(Type.Boolean()),
    teamId: Type.Optional(Id),
    settings: Type.Optional(ChannelSettings),
    /** Only the secrets given are replaced; omitted ones are kept. */
    secrets: Type.Optional(ChannelSecretsInput),
  },
  { additionalProperties: false },
)
export type ChannelUpdate = Static<typeof ChannelUpdate>

export const DeadLetter = Type.Object({
  id: Id,
  channelId: Id,
  source: Type.Union([Type.Literal('webhook'), Type.Literal('poll')]),
  error: Type.String(),
  attempts: Type.Integer(),
  receivedAt: IsoDateTime,
  /** The stored payload, as the platform sent it. */
  payload: Type.Unknown(),
})
export type DeadLetter = Static<typeof DeadLetter>

/** What became of a replayed dead letter: the replay waits a few seconds for its ingest job to say. */
export const DeadLetterReplayOutcome = Type.Union([
  /** Read and applied: it is no dead letter any more. */
  Type.Object({ status: Type.Literal('processed') }),
  /** It failed again and is a dead letter again, with the new reason. */
  Type.Object({ status: Type.Literal('failed'), error: Type.String() }),
  /** Not done within the wait: still queued, or retried after failing with `error`. */
  Type.Object({ status: Type.Literal('queued'), error: Type.Union([Type.String(), Type.Null()]) }),
])
export type DeadLetterReplayOutcome = Static<typeof DeadLetterReplayOutcome>

/**
 * What "Test connection" sends for a channel not saved yet: the form's values. `externalId` may still be blank (the
 * platform's answer tells it, except for Meta, which is asked about that very id).
 */
export const ConnectionCheckInput = Type.Object(
  {
    kind: ChannelKind,
    externalId: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9:._@+-]*$' })),
    settings: ChannelSettings,
    secrets: ChannelSecretsInput,
  },
  { additionalProperties: false },
)
export type ConnectionCheckInput = Static<typeof ConnectionCheckInput>

/** A saved channel's test: its stored settings and secrets, with any typed in the form (not saved yet) over them. */
export const SavedConnectionCheckInput = Type.Object(
  { settings: Type.Optional(ChannelSettings), secrets: Type.Optional(ChannelSecretsInput) },
  { additionalProperties: false },
)
export type SavedConnectionCheckInput = Static<typeof SavedConnectionCheckInput>

/** The account the platform says the credentials belong to. All of it is the platform's text, untrusted. */
export const PlatformAccount = Type.Object({
  /** The platform's id for it: what the channel's externalId must be. */
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  handle: Type.Union([Type.String(), Type.Null()]),
  /** In a line: "Telegram bot @acme_bot (Acme Care)". */
  summary: Type.String(),
})
export type PlatformAccount = Static<typeof PlatformAccount>

export const ConnectionCheck = Type.Union([
  /** The platform took the credentials; `warnings` name what still looks wrong (another id than the form's). */
  Type.Object({ status: Type.Literal('connected'), account: PlatformAccount, warnings: Type.Array(Type.String()) }),
  /** It did not, or could not be reached: why, in plain words. */
  Type.Object({ status: Type.Literal('failed'), error: Type.String() }),
])
export type ConnectionCheck = Static<typeof ConnectionCheck>

/** What became of "Register webhook": the platform's answer in plain words. */
export const WebhookRegistration = Type.Object({
  status: Type.Union([Type.Literal('registered'), Type.Literal('failed')]),
  message: Type.String(),
})
export type WebhookRegistration = Static<typeof WebhookRegistration>

const ChannelParams = Type.Object({ id: Id })

export const channelsApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/channels',
    summary: "Channels with their webhook URL, last event and error count: all for admins, your teams' otherwise",
    tags: ['channels'],
    access: { role: 'agent', scope: 'channels:read' },
    schema: { response: { 200: Type.Array(Channel) } },
  }),
  create: defineRoute({
    method: 'POST',
    url: '/api/channels',
    summary: 'Connect a channel',
    tags: ['channels'],
    access: { role: 'admin', scope: 'channels:write' },
    schema: { body: ChannelCreate, response: { 200: Channel } },
  }),
  update: defineRoute({
    method: 'PATCH',
    url: '/api/channels/:id',
    summary: 'Rename, enable or disable a channel, move it to another team, change its settings or replace secrets',
    tags: ['channels'],
    access: { role: 'admin', scope: 'channels:write' },
    schema: { params: ChannelParams, body: ChannelUpdate, response: { 200: Channel } },
  }),
  deadLetters: defineRoute({
    method: 'GET',
    url: '/api/channels/:id/dead-letters',
    summary: 'Payloads of this channel that could not be processed',
    tags: ['channels'],
    access: { role: 'admin', scope: 'channels:read' },
    schema: { params: ChannelParams, response: { 200: Type.Array(DeadLetter) } },
  }),
  replayDeadLetter: defineRoute({
    method: 'POST',
    url: '/api/channels/:id/dead-letters/:eventId/replay',
    summary: 'Process a dead-lettered payload again, and say what became of it (processed, failed again, or still queued)',
    tags: ['channels'],
    access: { role: 'admin', scope: 'channels:write' },
    schema: {
      params: Type.Object({ id: Id, eventId: Id }),
      response: { 200: DeadLetterReplayOutcome },
    },
  }),
  checkConnection: defineRoute({
    method: 'POST',
    url: '/api/channels/connection-check',
    summary: "Ask the platform whom a channel form's credentials belong to, before saving: the account found, or the platform's refusal in plain words",
    tags: ['channels'],
    access: { role: 'admin', scope: 'channels:write' },
    schema: { body: ConnectionCheckInput, response: { 200: ConnectionCheck } },
  }),
  checkSavedConnection: defineRoute({
    method: 'POST',
    url: '/api/channels/:id/connection-check',
    summary: "Ask the platform whom a saved channel's credentials belong to (any settings or secrets given replace the stored ones for this test only)",
    tags: ['channels'],
    access: { role: 'admin', scope: 'channels:write' },
    schema: { params: ChannelParams, body: SavedConnectionCheckInput, response: { 200: ConnectionCheck } },
  }),
  registerWebhook: defineRoute({
    method: 'POST',
    url: '/api/channels/:id/webhook-registration',
    summary: "Tell the platform to send the channel's events to its webhook URL (Telegram setWebhook; Facebook and WhatsApp subscribed_apps)",
    tags: ['channels'],
    access: { role: 'admin', scope: 'channels:write' },
    schema: { params: ChannelParams, response: { 200: WebhookRegistration } },
  }),
}

/** The real platform hosts, proposed when connecting a channel (demos and tests point at the simulator instead). */
export const defaultApiBaseUrls: Record<ChannelKind, string> = {
  facebook: 'https://graph.facebook.com/v21.0',
  instagram: 'https://graph.facebook.com/v21.0',
  whatsapp: 'https://graph.facebook.com/v21.0',
  telegram: 'https://api.telegram.org',
  x: 'https://api.x.com',
  mastodon: 'https://mastodon.social',
  bluesky: 'https://bsky.social',
}
