import { Type, type Static } from '@sinclair/typebox'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'
import { Teammate } from './conversations.js'
import { ReportPeriodInfo, ReportQuery, TimeFigure } from './reports.js'

/**
 * Campaign attribution (integrations spec §4): the ad or link a conversation came from, what it led to (a lead, a
 * purchase), and the same by source and campaign over a period.
 */

/** ad: a paid ad (Messenger/Instagram ADS, WhatsApp click-to-WhatsApp). link: an m.me / ig.me link, a post, anything else. */
export const referralKinds = ['ad', 'link'] as const
export const ReferralKind = StringEnum(referralKinds)
export type ReferralKind = (typeof referralKinds)[number]

/** Where conversations came from in reports: an ad, a link, or neither (the customer wrote on their own). */
export const attributionSources = ['ad', 'link', 'organic'] as const
export const AttributionSource = StringEnum(attributionSources)
export type AttributionSource = (typeof attributionSources)[number]

export const attributionSourceLabels: Record<AttributionSource, string> = { ad: 'Ads', link: 'Links', organic: 'Organic' }

const Text = Type.Union([Type.String(), Type.Null()])

/** One referral as the platform delivered it. Every text is the platform's (an advertiser's headline): show it as text. */
export const ConversationReferral = Type.Object({
  id: Id,
  kind: ReferralKind,
  /** Messenger/Instagram: ADS, SHORTLINK, IGME-SOURCE-LINK, … (null on WhatsApp, which names source_type instead). */
  source: Text,
  ref: Text,
  adId: Text,
  /** WhatsApp: the ad or post id, and whether it was an ad or a post. */
  sourceId: Text,
  sourceType: Text,
  /** The ad's or post's address (WhatsApp), or the page a chat plugin sat on. */
  sourceUrl: Text,
  headline: Text,
  /** WhatsApp carried a click id: a purchase can be reported to Meta for this ad. */
  hasClickId: Type.Boolean(),
  /** The conversation's first touch: reports attribute it to this one. */
  firstTouch: Type.Boolean(),
  receivedAt: IsoDateTime,
})
export type ConversationReferral = Static<typeof ConversationReferral>

export const outcomeKinds = ['lead', 'purchase'] as const
export const OutcomeKind = StringEnum(outcomeKinds)
export type OutcomeKind = (typeof outcomeKinds)[number]

export const outcomeKindLabels: Record<OutcomeKind, string> = { lead: 'Lead', purchase: 'Purchase' }

/**
 * Sending an outcome to Meta's Conversions API: not_configured (the channel has no dataset), pending (queued or being
 * retried), sent, failed (Meta refused it, or retries ran out: `error` says why), skipped (nothing Meta could match it
 * to: `error` says why).
 */
export const conversionStatuses = ['not_configured', 'pending', 'sent', 'failed', 'skipped'] as const
export const ConversionStatus = StringEnum(conversionStatuses)
export type ConversionStatus = (typeof conversionStatuses)[number]

export const ConversationOutcome = Type.Object({
  id: Id,
  kind: OutcomeKind,
  /** A purchase's value and ISO 4217 currency; null for a lead. */
  value: Type.Union([Type.Number(), Type.Null()]),
  currency: Text,
  recordedBy: Type.Union([Teammate, Type.Null()]),
  conversion: Type.Object({ status: ConversionStatus, error: Text, sentAt: Type.Union([IsoDateTime, Type.Null()]) }),
  createdAt: IsoDateTime,
})
export type ConversationOutcome = Static<typeof ConversationOutcome>

export const ConversationAttribution = Type.Object({
  conversationId: Id,
  /** The referral the conversation is attributed to; null when the customer came on their own. */
  firstTouch: Type.Union([ConversationReferral, Type.Null()]),
  /** Every referral, oldest first (the first touch among them). */
  referrals: Type.Array(ConversationReferral),
  outcomes: Type.Array(ConversationOutcome),
  /** The channel sends outcomes to Meta's Conversions API (a dataset is set). */
  sendsConversions: Type.Boolean(),
})
export type ConversationAttribution = Static<typeof ConversationAttribution>

/** The largest purchase value accepted: far above any real order, small enough for numeric(14, 2). */
export const maxOutcomeValue = 999_999_999_999

export const OutcomeInput = Type.Union([
  Type.Object({ kind: Type.Literal('lead') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('purchase'),
      // Cents are what Meta is sent: a smaller value would go as 0 (checked here, for a rule's action too).
      value: Type.Number({ minimum: 0.01, maximum: maxOutcomeValue }),
      /** ISO 4217, upper case: EUR, USD, BRL. */
      currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    },
    { additionalProperties: false },
  ),
])
export type OutcomeInput = Static<typeof OutcomeInput>

/** A Meta channel's Conversions API settings; the token is never returned. */
export const ChannelConversions = Type.Object({
  channelId: Id,
  /** The dataset (Events Manager) the events go to; null: outcomes are not sent. */
  datasetId: Text,
  /** A token of its own is set; without one the channel's access token is used. */
  hasAccessToken: Type.Boolean(),
})
export type ChannelConversions = Static<typeof ChannelConversions>

export const datasetIdPattern = '^[0-9]{1,30}$'

export const ChannelConversionsInput = Type.Object(
  {
    /** Null turns sending off. */
    datasetId: Type.Union([Type.String({ pattern: datasetIdPattern }), Type.Null()]),
    /** Replaces the token; left out, the one set is kept. */
    accessToken: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    /** Forgets the token of its own: the channel's access token is used again. */
    clearAccessToken: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type ChannelConversionsInput = Static<typeof ChannelConversionsInput>

const Rate = Type.Union([Type.Number(), Type.Null()])

/** One row of the report: a source (campaign null) or a campaign of one. Figures use the dashboard's definitions. */
export const AttributionRow = Type.Object({
  source: AttributionSource,
  /** The ad id (WhatsApp: the ad or post id) or the link's ref; null on a source's own row, or when the platform named none. */
  campaign: Text,
  /** The ad's latest headline seen, as the platform gave it. */
  headline: Text,
  /** Conversations with a customer message that began a cycle in the period. */
  conversations: Type.Integer(),
  /** Of those, the ones that got a public human reply. */
  answered: Type.Integer(),
  responseRate: Rate,
  /** First response time of those cycles, in seconds (calendar time). */
  firstResponse: TimeFigure,
  /** Of those conversations, the ones resolved since. */
  resolved: Type.Integer(),
  resolutionRate: Rate,
  /** Satisfaction answers for those cycles, those rated 4 or 5, and their share × 100. */
  ratings: Type.Integer(),
  satisfied: Type.Integer(),
  satisfaction: Rate,
  leads: Type.Integer(),
  purchases: Type.Integer(),
  /** Purchase value per currency (never added across currencies). */
  revenue: Type.Array(Type.Object({ currency: Type.String(), value: Type.Number() })),
})
export type AttributionRow = Static<typeof AttributionRow>

export const AttributionReport = Type.Object({
  period: ReportPeriodInfo,
  /** Always three rows: ad, link, organic. */
  bySource: Type.Array(AttributionRow),
  /** Ads and links by campaign, most conversations first (at most 50). */
  byCampaign: Type.Array(AttributionRow),
})
export type AttributionReport = Static<typeof AttributionReport>

/** How many campaigns the report lists. */
export const maxAttributionCampaigns = 50

const ConversationParams = Type.Object({ id: Id })

export const attributionApi = {
  get: defineRoute({
    method: 'GET',
    url: '/api/conversations/:id/attribution',
    summary: 'Where the conversation came from (the ads and links its customer arrived by) and the outcomes recorded on it',
    tags: ['attribution', 'conversations'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: { params: ConversationParams, response: { 200: ConversationAttribution } },
  }),
  recordOutcome: defineRoute({
    method: 'POST',
    url: '/api/conversations/:id/outcomes',
    summary: "Record what the conversation led to: a lead, or a purchase with its value; sent to Meta's Conversions API when the channel is set up for it",
    tags: ['attribution', 'conversations'],
    access: { role: 'agent' },
    schema: { params: ConversationParams, body: OutcomeInput, response: { 200: ConversationAttribution } },
  }),
  report: defineRoute({
    method: 'GET',
    url: '/api/reports/attribution',
    summary: 'Volume, response rate, first response, resolution and satisfaction by source (ad, link, organic) and campaign',
    tags: ['attribution', 'reports'],
    access: { role: 'lead', scope: 'reports:read' },
    schema: { querystring: ReportQuery, response: { 200: AttributionReport } },
  }),
  conversions: defineRoute({
    method: 'GET',
    url: '/api/channels/:id/conversions',
    summary: "A Meta channel's Conversions API settings (the token is never returned)",
    tags: ['attribution', 'channels'],
    access: { role: 'admin', scope: 'channels:read' },
    schema: { params: Type.Object({ id: Id }), response: { 200: ChannelConversions } },
  }),
  saveConversions: defineRoute({
    method: 'PUT',
    url: '/api/channels/:id/conversions',
    summary: "Send this Meta channel's outcomes to a Conversions API dataset, or stop (datasetId null)",
    tags: ['attribution', 'channels'],
    access: { role: 'admin', scope: 'channels:write' },
    schema: { params: Type.Object({ id: Id }), body: ChannelConversionsInput, response: { 200: ChannelConversions } },
  }),
}
