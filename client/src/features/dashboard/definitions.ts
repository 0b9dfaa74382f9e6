/**
 * How each figure on the dashboard is computed, shown a click away from it. `spec` holds sentences of
 * shared/specs/metrics.md word for word (only its line wrapping and markdown emphasis dropped): change them there
 * first. `carebox` adds what the spec leaves open about how Carebox counts.
 */
export interface MetricDefinition {
  title: string
  spec: readonly string[]
  carebox: readonly string[]
}

const timeFlavours =
  "Medians by default; p90 beside them; averages only where asked. Each time figure exists in two flavours: calendar time and business time (the team's business hours, time zone, holidays)."
const timePrecision =
  'Times are kept to 10 s under 10 minutes, to the minute under 2 hours, to 10 minutes under a day, to the hour under a week and to 6 hours beyond; medians and p90 are by nearest rank.'

export const definitions = {
  inboundConversations: {
    title: 'Inbound conversation',
    spec: ['Inbound conversation: a conversation that has at least one customer message in the period.'],
    carebox: ['Carebox counts each conversation cycle (from a customer message after any resolve to the next resolve) in the period it began.'],
  },
  conversationResponseRate: {
    title: 'Response rate (conversation level)',
    spec: [
      'Response rate (conversation level): inbound conversations that got at least one public human reply ÷ inbound conversations. Spam/ignored-by-rule conversations are counted separately, never silently dropped.',
    ],
    carebox: [
      'Carebox counts each conversation in the period its cycle began (its first customer message after any resolve).',
      'The line is the industry figure: brands answered 11% of the social messages that needed a reply (Sprout Social Index, 2016, Q2).',
    ],
  },
  messageResponseRate: {
    title: 'Response rate (message level)',
    spec: [
      "Response rate (message level): customer messages followed by a public human reply in the same conversation before the conversation was resolved ÷ customer messages. The seeds' headline: brands answer ~1 in 10 social messages (Sprout Social Index, 2016: 11% in Q2). Show the team's figure against that line.",
    ],
    carebox: ['Carebox counts each customer message in the period it was sent.'],
  },
  firstResponse: {
    title: 'First response time (FRT)',
    spec: [
      "First response time (FRT): from the first customer message of a conversation (or of a reopen) to the first public human reply (not notes, not auto-replies). A reopened conversation starts a new FRT clock; the original is not rewritten (Chatwoot's reports get this wrong; users complain).",
      timeFlavours,
    ],
    carebox: ['Carebox counts each first response in the period its cycle began.', timePrecision],
  },
  nextResponse: {
    title: 'Next response time',
    spec: ['Next response time: from the oldest unanswered customer message to the next public human reply.', timeFlavours],
    carebox: ['Carebox counts each next response in the period the reply was sent.', timePrecision],
  },
  resolution: {
    title: 'Resolution time',
    spec: ['Resolution time: from the first customer message of the cycle to resolved. Reopen → new cycle.', timeFlavours],
    carebox: ['Carebox counts each resolution in the period the conversation was resolved.', timePrecision],
  },
  handle: {
    title: 'Handle time',
    spec: ['Handle time: first public reply → resolved.', timeFlavours],
    carebox: ['Carebox counts each handle time in the period the conversation was resolved.', timePrecision],
  },
  sla: {
    title: 'Answered within SLA',
    spec: [
      'Answered within SLA: share of SLA targets achieved (Zendesk calls it achievement rate), per policy and per target kind (first response, next response, resolution).',
    ],
    carebox: [
      'Carebox shows it overall and per target kind. A target counts in the period it was achieved or breached; targets still running or paused are not counted yet.',
    ],
  },
  reopenRate: {
    title: 'Reopen rate',
    spec: ['Reopen rate: resolved conversations reopened by the customer within 7 days ÷ resolved.'],
    carebox: ['Carebox counts a reopen in the period of the resolve it undid: the customer wrote again within 7 days of it.'],
  },
  backlog: {
    title: 'Backlog and oldest wait',
    spec: [],
    carebox: [
      'Now, not over the period: the open conversations, those of them whose customer has the last word (waiting for a reply), and how long the longest-waiting of those customers has waited since their oldest unanswered message.',
    ],
  },
  notCounted: {
    title: 'Notes and automated replies',
    spec: [
      'First response time (FRT): from the first customer message of a conversation (or of a reopen) to the first public human reply (not notes, not auto-replies).',
    ],
    carebox: [
      'Private notes and automated replies (auto-replies, out-of-hours replies, rules) sent in the period. They are shown to say what was left out: neither is ever counted as a response, and neither stops a response clock.',
    ],
  },
  volume: {
    title: 'Inbound and replied',
    spec: ['Inbound messages and unique customers per channel, per hour-of-week (heatmap), per tag.'],
    carebox: [
      'Inbound: customer messages by the local day (or, for today, the hour) they arrived. Replied: public human replies sent in it. Notes and automated replies are not replies.',
    ],
  },
  hourOfWeek: {
    title: 'Volume by hour of the week',
    spec: ['Inbound messages and unique customers per channel, per hour-of-week (heatmap), per tag.'],
    carebox: ['Customer messages in the period by the local hour of the week they arrived, in the team’s time zone.'],
  },
  agents: {
    title: 'Per-agent table',
    spec: ['Replies sent, conversations resolved, median FRT, median handle time, SLA achievement, reopen rate, time online.'],
    carebox: [
      'A conversation cycle belongs to the first person who replied in it, else to whoever it was assigned to when resolved. What nobody in particular did (replies written on the platform itself, conversations no one owned) has its own row, so the rows add up to the totals.',
      timePrecision,
    ],
  },
  cost: {
    title: 'Cost saving',
    spec: [
      'avoided_cost = Σ resolved social conversations × deflection_rate × cost_per_phone_contact',
      'social_cost = Σ human handle hours × (agent_hourly_cost + overhead_per_hour) -- measured from our own data',
      'net_saving = avoided_cost − social_cost',
      'cost_per_resolution = social_cost ÷ resolved conversations',
      'roi = net_saving ÷ social_cost',
      'deflection rate 0.5 — an assumption, not a published figure: show the sensitivity band 0.25–1.0.',
      'Upper-bound envelope: Gartner 2019, live channels $8.01 vs self-service $0.10.',
    ],
    carebox: [
      'Human handle hours are business hours from the first public reply to resolved. Until 30 resolved conversations have a measured handle time, social cost is the per-conversation default times the resolved conversations instead.',
    ],
  },
  surges: {
    title: 'Surge alert',
    spec: [
      "Surge alert: inbound volume of a channel or tag over the last window exceeds its seasonal baseline (same hour-of-week over the previous weeks) by a configurable factor, or the share of negative-signal messages jumps. Show it to leads live and list the conversations behind it (the seeds' case: complaints spiking after a launch).",
    ],
    carebox: [
      'The baseline is the mean of the same hour of the week over the previous weeks. The factor, the fewest messages that can make a surge and the rise in negative share are set in Settings → Reports.',
    ],
  },
} satisfies Record<string, MetricDefinition>

export type MetricId = keyof typeof definitions
