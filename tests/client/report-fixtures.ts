import {
  defaultCostSettings,
  defaultSurgeSettings,
  type AgentReportRow,
  type Channel,
  type CostReport,
  type ReportQuery,
  type ReportSettings,
  type ReportSummary,
  type SatisfactionReport,
  type SurgeAlert,
  type Wallboard,
} from '@carebox/shared'
import { billing, support, type fakeApi } from './fake-api'

export const whatsappId = '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1b001'
export const instagramId = '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1b002'
export const mayaId = '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000001'
export const kimId = '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009'

function channelOf(id: string, kind: Channel['kind'], name: string): Channel {
  return {
    id,
    kind,
    name,
    externalId: `ext-${kind}`,
    enabled: true,
    teamId: support.id,
    settings: { mode: 'webhook', apiBaseUrl: 'https://graph.facebook.com/v21.0' },
    webhookUrl: `https://care.example.com/webhooks/${kind}`,
    verifyToken: 'verify-token-123',
    secretsSet: [],
    lastEventAt: null,
    lastPolledAt: null,
    errorCount: 0,
    lastError: null,
    lastErrorAt: null,
    deadLetterCount: 0,
    sending: { consecutiveFailures: 0, pausedUntil: null, reason: null },
    createdAt: '2026-03-01T09:00:00.000Z',
  }
}
export const channels: Channel[] = [channelOf(whatsappId, 'whatsapp', 'Acme on WhatsApp'), channelOf(instagramId, 'instagram', 'Acme on Instagram')]

const time = (median: number | null, p90: number | null, count: number) => ({ median, p90, count })

/** Busiest hour: Monday 10:00–11:00, 9 customer messages. */
export const hourOfWeek = Array.from({ length: 168 }, (_, index) => (index === 1 * 24 + 10 ? 9 : index === 3 * 24 + 15 ? 4 : 0))

export function summaryOf(overrides: Partial<ReportSummary> = {}): ReportSummary {
  return {
    period: {
      period: '7d',
      from: '2026-02-28T23:00:00.000Z',
      to: '2026-03-07T15:00:00.000Z',
      timeZone: 'Europe/Paris',
      firstDay: '2026-03-01',
      lastDay: '2026-03-07',
      granularity: 'day',
    },
    channels: [
      { id: whatsappId, name: 'Acme on WhatsApp', kind: 'whatsapp' },
      { id: instagramId, name: 'Acme on Instagram', kind: 'instagram' },
    ],
    headline: {
      inboundConversations: 40,
      answeredConversations: 17,
      conversationResponseRate: 0.425,
      customerMessages: 120,
      answeredMessages: 30,
      messageResponseRate: 0.25,
      firstResponse: { calendar: time(250, 1_320, 17), business: time(180, 900, 17) },
      nextResponse: { calendar: time(600, 3_600, 9), business: time(480, 2_400, 9) },
      resolution: { calendar: time(7_200, 86_400, 12), business: time(5_400, 43_200, 12) },
      handle: { calendar: time(3_000, 10_800, 11), business: time(2_400, 7_200, 11) },
      sla: {
        all: { achieved: 18, breached: 2, rate: 0.9 },
        first_response: { achieved: 10, breached: 1, rate: 10 / 11 },
        next_response: { achieved: 5, breached: 1, rate: 5 / 6 },
        resolution: { achieved: 3, breached: 0, rate: 1 },
      },
      resolved: 12,
      reopened: 3,
      reopenRate: 0.25,
      replies: 35,
      notes: 6,
      automatedReplies: 4,
      backlog: { open: 8, waiting: 5, oldestWaitingSince: new Date(Date.now() - 2 * 3_600_000).toISOString() },
    },
    volume: [
      { at: '2026-03-02', channelId: whatsappId, inbound: 30, replied: 12 },
      { at: '2026-03-02', channelId: instagramId, inbound: 10, replied: 4 },
      { at: '2026-03-03', channelId: whatsappId, inbound: 25, replied: 9 },
    ],
    firstResponseTrend: [
      { at: '2026-03-02', median: 240, p90: 1_200, count: 9 },
      { at: '2026-03-03', median: 300, p90: 1_500, count: 8 },
    ],
    slaTrend: [
      { at: '2026-03-02', achieved: 10, breached: 1 },
      { at: '2026-03-03', achieved: 8, breached: 1 },
    ],
    // 2 Mar: 6 of 40 labelled (15%); 3 Mar: 3 of 12, too few labelled to read a share from; the other days none.
    negativeShareTrend: ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07'].map((at) =>
      at === '2026-03-02' ? { at, negative: 6, labelled: 40 } : at === '2026-03-03' ? { at, negative: 3, labelled: 12 } : { at, negative: 0, labelled: 0 },
    ),
    hourOfWeek,
    ...overrides,
  }
}

function agentRow(overrides: Partial<AgentReportRow>): AgentReportRow {
  return {
    agentId: mayaId,
    name: 'Maya Agent',
    replies: 0,
    resolved: 0,
    firstResponse: time(null, null, 0),
    handle: time(null, null, 0),
    sla: { achieved: 0, breached: 0, rate: null },
    reopened: 0,
    reopenRate: null,
    onlineSeconds: 0,
    ...overrides,
  }
}

export const agentReport = {
  items: [
    agentRow({
      agentId: mayaId,
      name: 'Maya Agent',
      replies: 20,
      resolved: 7,
      firstResponse: time(240, 900, 10),
      handle: time(3_000, 7_200, 7),
      sla: { achieved: 12, breached: 1, rate: 12 / 13 },
      reopened: 1,
      reopenRate: 1 / 7,
      onlineSeconds: 28_800,
    }),
    agentRow({
      agentId: kimId,
      name: 'Kim Lee',
      replies: 12,
      resolved: 5,
      firstResponse: time(600, 1_800, 7),
      handle: time(2_400, 5_400, 4),
      sla: { achieved: 6, breached: 1, rate: 6 / 7 },
      reopened: 2,
      reopenRate: 0.4,
      onlineSeconds: 14_400,
    }),
    agentRow({ agentId: null, name: 'Nobody in particular', replies: 3 }),
  ],
  totals: agentRow({
    agentId: null,
    name: 'Total',
    replies: 35,
    resolved: 12,
    firstResponse: time(250, 1_320, 17),
    handle: time(3_000, 10_800, 11),
    sla: { achieved: 18, breached: 2, rate: 0.9 },
    reopened: 3,
    reopenRate: 0.25,
    onlineSeconds: 43_200,
  }),
}

export function costOf(overrides: Partial<CostReport> = {}): CostReport {
  return {
    settings: defaultCostSettings,
    resolved: 12,
    handleHours: 0,
    socialCostBasis: 'per_conversation',
    socialCost: 12,
    avoidedCost: 36,
    netSaving: 24,
    costPerResolution: 1,
    roi: 2,
    band: {
      low: { deflectionRate: 0.25, avoidedCost: 18, netSaving: 6, roi: 0.5 },
      high: { deflectionRate: 1, avoidedCost: 72, netSaving: 60, roi: 5 },
    },
    breakdown: {
      workedHours: 0.5,
      workedConversations: 4,
      measuredResolutions: 4,
      resolved: 12,
      hourlyCost: 25,
      avoidedPerResolution: 3,
      basis: 'per_conversation',
      explanation:
        '12 resolved conversations × 50% that would have been calls × $6 per call = $36 avoided; 12 resolved × $1 per conversation = $12, the default until 30 resolved conversations have working time recorded (4 so far); net $24.',
    },
    series: [
      { at: '2026-03-02', avoidedCost: 18, socialCost: 6, netSaving: 12 },
      { at: '2026-03-03', avoidedCost: 18, socialCost: 6, netSaving: 12 },
    ],
    ...overrides,
  }
}

export const surge: SurgeAlert = {
  id: '8e7d6c5b-0000-4000-8000-00000000e001',
  teamId: support.id,
  scope: 'channel',
  key: whatsappId,
  label: 'Acme on WhatsApp',
  reasons: ['volume', 'negative'],
  windowStart: '2026-03-07T13:00:00.000Z',
  windowEnd: '2026-03-07T14:00:00.000Z',
  inbound: 42,
  baseline: 12.5,
  negativeShare: 0.38,
  baselineNegativeShare: 0.1,
  conversationIds: ['0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a001', '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a002'],
  createdAt: '2026-03-07T14:00:05.000Z',
}

export const reportSettings: ReportSettings = { cost: defaultCostSettings, surge: defaultSurgeSettings }

export const conversationWithComplaint = '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a101'
export const conversationWithPraise = '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a102'

const figuresOf = (offered: number, distribution: [number, number, number, number, number]) => {
  const answered = distribution.reduce((sum, n) => sum + n, 0)
  const satisfied = distribution[3] + distribution[4]
  return {
    offered,
    answered,
    satisfied,
    score: answered > 0 ? Math.round((satisfied / answered) * 1000) / 10 : null,
    responseRate: offered > 0 ? answered / offered : null,
    distribution,
  }
}

/** Satisfaction over the 7 days: 16 of 24 offered surveys rated, 12 of them 4 or 5 (75%); two days without ratings. */
export function satisfactionOf(overrides: Partial<SatisfactionReport> = {}): SatisfactionReport {
  return {
    period: summaryOf().period,
    totals: figuresOf(24, [2, 1, 1, 4, 8]),
    notOffered: [
      { reason: 'WhatsApp no longer allows a message to this customer: the 24-hour window has closed.', count: 3 },
      { reason: 'Public threads get no survey: everyone would see the question.', count: 1 },
    ],
    trend: [
      { at: '2026-03-01', answered: 0, satisfied: 0, score: null },
      { at: '2026-03-02', answered: 6, satisfied: 5, score: 83.3 },
      { at: '2026-03-03', answered: 4, satisfied: 2, score: 50 },
      { at: '2026-03-04', answered: 0, satisfied: 0, score: null },
      { at: '2026-03-05', answered: 3, satisfied: 3, score: 100 },
      { at: '2026-03-06', answered: 2, satisfied: 1, score: 50 },
      { at: '2026-03-07', answered: 1, satisfied: 1, score: 100 },
    ],
    byAgent: [
      { id: mayaId, name: 'Maya Agent', figures: figuresOf(12, [0, 1, 0, 3, 6]) },
      { id: kimId, name: 'Kim Lee', figures: figuresOf(8, [2, 0, 1, 1, 1]) },
      { id: null, name: 'No person replied', figures: figuresOf(4, [0, 0, 0, 0, 1]) },
    ],
    byChannel: [
      { id: whatsappId, name: 'Acme on WhatsApp', figures: figuresOf(18, [1, 1, 1, 3, 6]) },
      { id: instagramId, name: 'Acme on Instagram', figures: figuresOf(6, [1, 0, 0, 1, 2]) },
    ],
    byTag: [{ id: 'refund', name: 'refund', figures: figuresOf(5, [2, 0, 0, 1, 0]) }],
    comments: [
      {
        conversationId: conversationWithComplaint,
        rating: 2,
        comment: '<img src=x onerror="alert(1)"> Nobody read my question',
        answeredAt: '2026-03-07T13:40:00.000Z',
        customer: 'Jo Customer',
        channel: 'Acme on WhatsApp',
        agent: 'Kim Lee',
      },
      {
        conversationId: conversationWithPraise,
        rating: 5,
        comment: 'Quick and kind, thank you',
        answeredAt: '2026-03-06T09:15:00.000Z',
        customer: null,
        channel: 'Acme on Instagram',
        agent: null,
      },
    ],
    ...overrides,
  }
}

/** The wall screen's figures as the server answers them now: the oldest customer has waited 4 min 7 s. */
export function wallboardOf(overrides: Partial<Wallboard> = {}): Wallboard {
  const now = Date.now()
  return {
    at: new Date(now).toISOString(),
    waitingNow: 7,
    oldestWaitingSince: new Date(now - (4 * 60 + 7) * 1000).toISOString(),
    atRisk: 2,
    agentsOnline: 5,
    todayInbound: 30,
    todayAnswered: 24,
    todayResponseRate: 0.8,
    todayRatings: 12,
    todaySatisfaction: 91.7,
    teams: [
      { id: billing.id, name: billing.name, online: 1, away: 0, offline: 2, waiting: 2 },
      { id: support.id, name: support.name, online: 4, away: 1, offline: 3, waiting: 5 },
    ],
    ...overrides,
  }
}

/** The URL the console asks for: the path and the query in the order it always writes it. */
export function reportUrl(path: string, query: ReportQuery = { period: '7d' }): string {
  const search = new URLSearchParams()
  for (const key of ['period', 'from', 'to', 'teamId', 'channelId', 'agentId', 'tag'] as const) {
    const value = query[key]
    if (value) search.set(key, value)
  }
  return `${path}?${search.toString()}`
}

/** Answers every request the dashboard makes for a query, and what it loads around it (channels, teams, members). */
export function arrangeDashboard(api: ReturnType<typeof fakeApi>, query: ReportQuery = { period: '7d' }, summary = summaryOf()) {
  api.on('GET', reportUrl('/api/reports/summary', query), [200, summary])
  api.on('GET', reportUrl('/api/reports/agents', query), [200, agentReport])
  api.on('GET', reportUrl('/api/reports/cost', query), [200, costOf()])
  api.on('GET', reportUrl('/api/reports/satisfaction', query), [200, satisfactionOf()])
  api.on('GET', '/api/reports/surges', [200, { items: [surge] }])
  api.on('GET', '/api/channels', [200, channels])
  api.on('GET', '/api/teams', [200, { items: [support, billing] }])
  api.on('GET', `/api/teams/${support.id}/members`, [
    200,
    {
      items: [
        { id: mayaId, name: 'Maya Agent', role: 'agent' },
        { id: kimId, name: 'Kim Lee', role: 'agent' },
      ],
    },
  ])
  api.on('GET', `/api/teams/${billing.id}/members`, [200, { items: [{ id: kimId, name: 'Kim Lee', role: 'agent' }] }])
}
