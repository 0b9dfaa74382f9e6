import { Type, type Static } from '@sinclair/typebox'
import { ChannelKind } from './channels.js'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'
import { slaTargetKinds } from './sla.js'

/** The periods a lead picks from: whole days in the team's time zone, today included. */
export const reportPeriods = ['today', '7d', '30d', '90d', 'custom'] as const
export const ReportPeriod = StringEnum(reportPeriods)
export type ReportPeriod = Static<typeof ReportPeriod>

/** A custom period may span at most this many days (the rollups keep every day; the charts stay readable). */
export const maxReportDays = 400

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

export const ReportQuery = Type.Object(
  {
    period: Type.Optional(ReportPeriod),
    /** With `custom`: the first and last local day, inclusive. */
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    teamId: Type.Optional(Id),
    channelId: Type.Optional(Id),
    agentId: Type.Optional(Id),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
)
export type ReportQuery = Static<typeof ReportQuery>

/**
 * The ~1 in 10 line every response rate is drawn against: Sprout Social Index (2016) found brands answered 11% of
 * the social messages that needed a reply in Q2 2016.
 */
export const industryResponseRate = 0.11

/** A time figure in seconds: median and p90 of the measured cases, or null when there were none. */
export const TimeFigure = Type.Object({
  median: Type.Union([Type.Number(), Type.Null()]),
  p90: Type.Union([Type.Number(), Type.Null()]),
  count: Type.Integer(),
})
export type TimeFigure = Static<typeof TimeFigure>

/** Calendar time and the team's business time, side by side. */
export const TimeFigures = Type.Object({ calendar: TimeFigure, business: TimeFigure })
export type TimeFigures = Static<typeof TimeFigures>

const Rate = Type.Union([Type.Number(), Type.Null()])

export const SlaCounts = Type.Object({ achieved: Type.Integer(), breached: Type.Integer(), rate: Rate })
export type SlaCounts = Static<typeof SlaCounts>

export const ReportPeriodInfo = Type.Object({
  period: ReportPeriod,
  /** The instants the figures cover: [from, to). */
  from: IsoDateTime,
  to: IsoDateTime,
  timeZone: Type.String(),
  /** The local days covered, first to last. */
  firstDay: LocalDate,
  lastDay: LocalDate,
  /** hour: today's figures hour by hour; day: longer periods day by day. */
  granularity: StringEnum(['hour', 'day'] as const),
})
export type ReportPeriodInfo = Static<typeof ReportPeriodInfo>

export const ReportHeadline = Type.Object({
  inboundConversations: Type.Integer(),
  answeredConversations: Type.Integer(),
  /** answeredConversations ÷ inboundConversations; null with none. */
  conversationResponseRate: Rate,
  customerMessages: Type.Integer(),
  answeredMessages: Type.Integer(),
  messageResponseRate: Rate,
  firstResponse: TimeFigures,
  nextResponse: TimeFigures,
  resolution: TimeFigures,
  handle: TimeFigures,
  sla: Type.Object({
    all: SlaCounts,
    first_response: SlaCounts,
    next_response: SlaCounts,
    resolution: SlaCounts,
  }),
  resolved: Type.Integer(),
  /** Of the conversations resolved in the period, those the customer reopened within 7 days. */
  reopened: Type.Integer(),
  reopenRate: Rate,
  replies: Type.Integer(),
  /** Counted to show what was left out: notes and automated replies are never responses. */
  notes: Type.Integer(),
  automatedReplies: Type.Integer(),
  /** Now, not over the period: open conversations, those whose customer has the last word, and the longest wait. */
  backlog: Type.Object({
    open: Type.Integer(),
    waiting: Type.Integer(),
    oldestWaitingSince: Type.Union([IsoDateTime, Type.Null()]),
  }),
})
export type ReportHeadline = Static<typeof ReportHeadline>

/** One point of a chart: `at` is a local day (YYYY-MM-DD) or a local hour (YYYY-MM-DDTHH). */
export const VolumePoint = Type.Object({ at: Type.String(), channelId: Id, inbound: Type.Integer(), replied: Type.Integer() })
export type VolumePoint = Static<typeof VolumePoint>
export const ResponseTrendPoint = Type.Object({
  at: Type.String(),
  median: Type.Union([Type.Number(), Type.Null()]),
  p90: Type.Union([Type.Number(), Type.Null()]),
  count: Type.Integer(),
})
export type ResponseTrendPoint = Static<typeof ResponseTrendPoint>
export const SlaTrendPoint = Type.Object({ at: Type.String(), achieved: Type.Integer(), breached: Type.Integer() })
export type SlaTrendPoint = Static<typeof SlaTrendPoint>
/** Customer messages labelled negative, and those with any label but unknown (the share's denominator). */
export const NegativeSharePoint = Type.Object({ at: Type.String(), negative: Type.Integer(), labelled: Type.Integer() })
export type NegativeSharePoint = Static<typeof NegativeSharePoint>
/** A bucket with fewer labelled messages than this is too small to read a share from: greyed in the chart and its table. */
export const minLabelledForShare = 20

export const ReportChannel = Type.Object({ id: Id, name: Type.String(), kind: ChannelKind })
export type ReportChannel = Static<typeof ReportChannel>

export const ReportSummary = Type.Object({
  period: ReportPeriodInfo,
  channels: Type.Array(ReportChannel),
  headline: ReportHeadline,
  volume: Type.Array(VolumePoint),
  firstResponseTrend: Type.Array(ResponseTrendPoint),
  slaTrend: Type.Array(SlaTrendPoint),
  /** Per day, or per hour for today (by day when filtered by agent or tag, as volume is). */
  negativeShareTrend: Type.Array(NegativeSharePoint),
  /** Customer messages by local hour of the week: index = weekday (0 = Sunday) × 24 + hour. 168 entries. */
  hourOfWeek: Type.Array(Type.Integer(), { minItems: 168, maxItems: 168 }),
})
export type ReportSummary = Static<typeof ReportSummary>

export const AgentReportRow = Type.Object({
  /** Null: done by nobody in particular (replies written on the platform itself, conversations no one owned). */
  agentId: Type.Union([Id, Type.Null()]),
  name: Type.String(),
  replies: Type.Integer(),
  resolved: Type.Integer(),
  firstResponse: TimeFigure,
  handle: TimeFigure,
  sla: SlaCounts,
  reopened: Type.Integer(),
  reopenRate: Rate,
  /** Seconds online in the period. */
  onlineSeconds: Type.Integer(),
})
export type AgentReportRow = Static<typeof AgentReportRow>

/** The cost inputs, per workspace. Each default cites its source in `costInputSources`. */
export const CostSettings = Type.Object(
  {
    currency: Type.String({ minLength: 3, maxLength: 3 }),
    phoneCostPerContact: Type.Number({ minimum: 0, maximum: 10_000 }),
    emailCostPerContact: Type.Number({ minimum: 0, maximum: 10_000 }),
    chatCostPerContact: Type.Number({ minimum: 0, maximum: 10_000 }),
    socialCostPerConversation: Type.Number({ minimum: 0, maximum: 10_000 }),
    deflectionRate: Type.Number({ minimum: 0, maximum: 1 }),
    agentHourlyCost: Type.Number({ minimum: 0, maximum: 10_000 }),
    overheadPerHour: Type.Number({ minimum: 0, maximum: 10_000 }),
  },
  { additionalProperties: false },
)
export type CostSettings = Static<typeof CostSettings>

export const defaultCostSettings: CostSettings = {
  currency: 'USD',
  phoneCostPerContact: 6,
  emailCostPerContact: 4.42,
  chatCostPerContact: 3.82,
  socialCostPerConversation: 1,
  deflectionRate: 0.5,
  agentHourlyCost: 20,
  overheadPerHour: 5,
}

/** Where each default comes from, shown beside the input and in the cost panel's tooltips. */
export const costInputSources: Record<Exclude<keyof CostSettings, 'currency'>, string> = {
  phoneCostPerContact: 'HelpSocial: about $6 per call. ContactBabel: $5.25 (2017), $6.69 (2015).',
  emailCostPerContact: 'ContactBabel (c. 2017): $4.42 per email contact. For comparison.',
  chatCostPerContact: 'ContactBabel (c. 2017): $3.82 per chat contact. For comparison.',
  socialCostPerConversation: 'HelpSocial: under $1 per social conversation. Used until enough working time has been measured.',
  deflectionRate:
    'An assumption, not a published figure: the share of social conversations that would otherwise have been a phone call. The panel shows the band from 0.25 to 1.0.',
  agentHourlyCost: 'An assumption: enter your agents’ loaded hourly cost.',
  overheadPerHour: 'An assumption: enter your overhead (tools, space, management) per agent hour.',
}

/** Upper-bound envelope shown beside the panel: Gartner (2019), live channels $8.01 vs self-service $0.10 per contact. */
export const gartnerEnvelope = {
  liveChannel: 8.01,
  selfService: 0.1,
  source: 'Gartner (2019): $8.01 per live-channel contact, $0.10 per self-service contact.',
}

/** Below this many resolved conversations with measured working time, social cost uses the per-conversation default. */
export const minMeasuredResolutions = 30

export const CostFigures = Type.Object({
  deflectionRate: Type.Number(),
  avoidedCost: Type.Number(),
  netSaving: Type.Number(),
  roi: Rate,
})
export type CostFigures = Static<typeof CostFigures>

/**
 * The cost figures' inputs: avoided = resolved × deflection × phone cost (avoidedPerResolution = the last two);
 * social = workedHours × hourlyCost (measured) or resolved × the per-conversation default.
 */
export const CostBreakdown = Type.Object({
  /** Hours agents spent in the scope's conversations: their thread open and in focus, the person active. */
  workedHours: Type.Number(),
  /** Conversations someone worked in during the period. */
  workedConversations: Type.Integer(),
  /** Conversations resolved in the period with working time recorded: measured once `minMeasuredResolutions`. */
  measuredResolutions: Type.Integer(),
  resolved: Type.Integer(),
  /** Agent hourly cost + overhead per hour. */
  hourlyCost: Type.Number(),
  /** deflectionRate × phoneCostPerContact: what each resolution saves. */
  avoidedPerResolution: Type.Number(),
  basis: StringEnum(['measured', 'per_conversation'] as const),
  explanation: Type.String(),
})
export type CostBreakdown = Static<typeof CostBreakdown>

export const CostReport = Type.Object({
  settings: CostSettings,
  /** Social conversations resolved in the period. */
  resolved: Type.Integer(),
  /** Hours agents worked in the scope's conversations in the period, measured from the console (= breakdown.workedHours). */
  handleHours: Type.Number(),
  /** measured: from working hours; per_conversation: too few measured, the default per conversation. */
  socialCostBasis: StringEnum(['measured', 'per_conversation'] as const),
  socialCost: Type.Number(),
  avoidedCost: Type.Number(),
  netSaving: Type.Number(),
  costPerResolution: Rate,
  roi: Rate,
  /** The same figures at the ends of the deflection band. */
  band: Type.Object({ low: CostFigures, high: CostFigures }),
  /** What each input contributes, and a sentence a lead reads that puts them together. */
  breakdown: CostBreakdown,
  series: Type.Array(Type.Object({ at: Type.String(), avoidedCost: Type.Number(), socialCost: Type.Number(), netSaving: Type.Number() })),
})
export type CostReport = Static<typeof CostReport>

/** One team on the wall screen: its people by presence now, and its customers waiting for a reply. */
export const WallboardTeam = Type.Object({
  id: Id,
  name: Type.String(),
  /** The team's active members by presence (someone in two teams counts in both). */
  online: Type.Integer(),
  away: Type.Integer(),
  offline: Type.Integer(),
  /** The team's open conversations whose customer has the last word. */
  waiting: Type.Integer(),
})
export type WallboardTeam = Static<typeof WallboardTeam>

export const Wallboard = Type.Object({
  at: IsoDateTime,
  /** Open conversations whose customer has the last word. */
  waitingNow: Type.Integer(),
  oldestWaitingSince: Type.Union([IsoDateTime, Type.Null()]),
  /** Open conversations breached or within 15 minutes of a deadline. */
  atRisk: Type.Integer(),
  agentsOnline: Type.Integer(),
  todayInbound: Type.Integer(),
  todayAnswered: Type.Integer(),
  todayResponseRate: Rate,
  /** Satisfaction ratings answered today (the team's day), and the share of 4s and 5s × 100. */
  todayRatings: Type.Integer(),
  todaySatisfaction: Rate,
  /** Each team the figures cover, by name. */
  teams: Type.Array(WallboardTeam),
})
export type Wallboard = Static<typeof Wallboard>

export const surgeScopes = ['channel', 'tag'] as const
/** A conversation behind a surge as a person recognises it: who wrote, on which channel, and the latest words. */
export const SurgeConversation = Type.Object({
  id: Id,
  /** The customer's name, else their handle; null when the platform gave neither. */
  customerName: Type.Union([Type.String(), Type.Null()]),
  channelName: Type.String(),
  channelKind: ChannelKind,
  /** The start of the conversation's latest message. */
  preview: Type.String(),
})
export type SurgeConversation = Static<typeof SurgeConversation>
export const SurgeAlert = Type.Object({
  id: Id,
  teamId: Type.Union([Id, Type.Null()]),
  scope: StringEnum(surgeScopes),
  /** The channel's id, or the tag. */
  key: Type.String(),
  /** What a person reads: the channel's name or the tag. */
  label: Type.String(),
  /** volume: more messages than usual; negative: a larger share of complaints than usual; both. */
  reasons: Type.Array(StringEnum(['volume', 'negative'] as const)),
  windowStart: IsoDateTime,
  windowEnd: IsoDateTime,
  inbound: Type.Integer(),
  /** Mean inbound in the same hour of the week over the previous weeks. */
  baseline: Type.Number(),
  negativeShare: Type.Number(),
  baselineNegativeShare: Type.Number(),
  conversationIds: Type.Array(Id),
  /** The conversations of conversationIds that still exist, in the same order, named (absent from older servers). */
  conversations: Type.Optional(Type.Array(SurgeConversation)),
  createdAt: IsoDateTime,
})
export type SurgeAlert = Static<typeof SurgeAlert>

export const SurgeSettings = Type.Object(
  {
    /** Inbound over the window must exceed the baseline by this factor… */
    volumeFactor: Type.Number({ minimum: 1.1, maximum: 100 }),
    /** …and reach at least this many messages (a quiet channel going from 1 to 3 is no surge). */
    minMessages: Type.Integer({ minimum: 1, maximum: 100_000 }),
    /** Or the negative share must rise by this many points (0.2 = 20 points) over its baseline. */
    negativeShareJump: Type.Number({ minimum: 0.01, maximum: 1 }),
  },
  { additionalProperties: false },
)
export type SurgeSettings = Static<typeof SurgeSettings>
export const defaultSurgeSettings: SurgeSettings = { volumeFactor: 2, minMessages: 10, negativeShareJump: 0.2 }

export const ReportSettings = Type.Object({ cost: CostSettings, surge: SurgeSettings })
export type ReportSettings = Static<typeof ReportSettings>

export const reportsApi = {
  summary: defineRoute({
    method: 'GET',
    url: '/api/reports/summary',
    summary: 'Headline figures and charts for a period and filters (leads and admins); figures come from rollups',
    tags: ['reports'],
    access: { role: 'lead', scope: 'reports:read' },
    schema: { querystring: ReportQuery, response: { 200: ReportSummary } },
  }),
  agents: defineRoute({
    method: 'GET',
    url: '/api/reports/agents',
    summary: 'The per-agent table for a period and filters; rows sum to the totals',
    tags: ['reports'],
    access: { role: 'lead', scope: 'reports:read' },
    schema: { querystring: ReportQuery, response: { 200: Type.Object({ items: Type.Array(AgentReportRow), totals: AgentReportRow }) } },
  }),
  cost: defineRoute({
    method: 'GET',
    url: '/api/reports/cost',
    summary: 'Cost saving for a period and filters, with the deflection band',
    tags: ['reports'],
    access: { role: 'lead', scope: 'reports:read' },
    schema: { querystring: ReportQuery, response: { 200: CostReport } },
  }),
  wallboard: defineRoute({
    method: 'GET',
    url: '/api/reports/wallboard',
    summary: 'Live figures for a wall screen: waiting now, oldest wait, at risk, agents online, today’s response rate, and each team’s agents by presence',
    tags: ['reports'],
    access: { role: 'lead', scope: 'reports:read' },
    schema: { querystring: Type.Object({ teamId: Type.Optional(Id) }, { additionalProperties: false }), response: { 200: Wallboard } },
  }),
  surges: defineRoute({
    method: 'GET',
    url: '/api/reports/surges',
    summary: 'Surge alerts of the last 7 days, newest first, with the conversations behind each',
    tags: ['reports'],
    access: { role: 'lead', scope: 'reports:read' },
    schema: {
      querystring: Type.Object({ teamId: Type.Optional(Id) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(SurgeAlert) }) },
    },
  }),
  settings: defineRoute({
    method: 'GET',
    url: '/api/reports/settings',
    summary: 'Cost inputs and surge thresholds, with the defaults',
    tags: ['reports'],
    access: { role: 'lead' },
    schema: { response: { 200: ReportSettings } },
  }),
  updateSettings: defineRoute({
    method: 'PUT',
    url: '/api/reports/settings',
    summary: 'Change the cost inputs and surge thresholds (admins)',
    tags: ['reports'],
    access: { role: 'admin' },
    schema: { body: ReportSettings, response: { 200: ReportSettings } },
  }),
  exportCsv: defineRoute({
    method: 'GET',
    url: '/api/reports/export.csv',
    summary: 'Conversations (one row per cycle) with their metrics for a period and filters, as CSV, streamed',
    tags: ['reports'],
    access: { role: 'lead', scope: 'reports:read' },
    schema: { querystring: ReportQuery, response: { 200: Type.String({ description: `text/csv with the columns of reportExportColumns` }) } },
  }),
  transcript: defineRoute({
    method: 'GET',
    url: '/api/conversations/:id/transcript',
    summary: 'A conversation as plain text: every message, reply, note and event in order, for records or a customer',
    tags: ['reports', 'conversations'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: { params: Type.Object({ id: Id }), response: { 200: Type.String({ description: 'text/plain; charset=utf-8' }) } },
  }),
}

/** The export's columns, in order: one row per conversation cycle that began in the period. */
export const reportExportColumns = [
  'conversation_id',
  'cycle',
  'channel',
  'team',
  'agent',
  'tags',
  'started_at',
  'first_response_at',
  'first_response_seconds',
  'first_response_business_seconds',
  'resolved_at',
  'resolution_seconds',
  'resolution_business_seconds',
  'handle_seconds',
  'customer_messages',
  'answered_messages',
  'replies',
  'reopened',
  'sla_achieved',
  'sla_breached',
  'satisfaction_rating',
  'satisfaction_comment',
] as const

/** The kinds an SLA count is kept for: the same three as the targets. */
export const reportSlaKinds = slaTargetKinds
