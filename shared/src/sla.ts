import { Type, type Static } from '@sinclair/typebox'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'
import { Priority, Tag } from './conversation-fields.js'

/** What a policy promises, per priority. Definitions: docs/metrics.md. */
export const slaTargetKinds = ['first_response', 'next_response', 'resolution'] as const
export const SlaTargetKind = StringEnum(slaTargetKinds)
export type SlaTargetKind = Static<typeof SlaTargetKind>

export const slaTargetKindLabels: Record<SlaTargetKind, string> = {
  first_response: 'First response',
  next_response: 'Next response',
  resolution: 'Resolution',
}

/** How each kind is measured, word for word as the lead sees it. */
export const slaTargetKindDefinitions: Record<SlaTargetKind, string> = {
  first_response:
    'From the first customer message of a conversation (or of a reopen) to the first public reply by a person. Notes and automated replies do not count.',
  next_response: 'From the oldest customer message still unanswered to the next public reply by a person.',
  resolution:
    'From the first customer message of the cycle to resolved. The clock pauses while the conversation waits on the customer (our reply is the latest message).',
}

/** Whether the clock of a target kind stops while the conversation waits on the customer. */
export const slaKindPauses: Record<SlaTargetKind, boolean> = { first_response: false, next_response: false, resolution: true }

export const SlaGoal = Type.Object(
  {
    minutes: Type.Integer({ minimum: 1, maximum: 525_600 }),
    /** Counted in the team's business hours (its time zone, shifts and holidays) rather than calendar time. */
    businessHours: Type.Boolean(),
  },
  { additionalProperties: false },
)
export type SlaGoal = Static<typeof SlaGoal>

const GoalsOfPriority = Type.Object(
  { first_response: Type.Optional(SlaGoal), next_response: Type.Optional(SlaGoal), resolution: Type.Optional(SlaGoal) },
  { additionalProperties: false },
)
export const SlaTargets = Type.Object(
  { low: Type.Optional(GoalsOfPriority), normal: Type.Optional(GoalsOfPriority), high: Type.Optional(GoalsOfPriority), urgent: Type.Optional(GoalsOfPriority) },
  { additionalProperties: false },
)
export type SlaTargets = Static<typeof SlaTargets>

/** Every listed condition must hold; a missing one matches anything. */
export const SlaConditions = Type.Object(
  {
    channelIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
    teamIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
    priorities: Type.Optional(Type.Array(Priority, { maxItems: 4 })),
    /** The conversation carries at least one of these tags. */
    tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  },
  { additionalProperties: false },
)
export type SlaConditions = Static<typeof SlaConditions>

export const SlaPolicy = Type.Object({
  id: Id,
  position: Type.Integer(),
  name: Type.String(),
  enabled: Type.Boolean(),
  conditions: SlaConditions,
  targets: SlaTargets,
  updatedAt: IsoDateTime,
})
export type SlaPolicy = Static<typeof SlaPolicy>

const SlaPolicyInput = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  enabled: Type.Boolean(),
  conditions: SlaConditions,
  targets: SlaTargets,
}

/** The state of one target. */
export const slaTargetStatuses = ['active', 'paused', 'achieved', 'breached'] as const
export const SlaTargetStatus = StringEnum(slaTargetStatuses)

export const SlaTarget = Type.Object({
  id: Id,
  kind: SlaTargetKind,
  status: SlaTargetStatus,
  policyName: Type.Union([Type.String(), Type.Null()]),
  targetMinutes: Type.Integer(),
  businessHours: Type.Boolean(),
  startedAt: IsoDateTime,
  /** Null while paused. */
  dueAt: Type.Union([IsoDateTime, Type.Null()]),
  stoppedAt: Type.Union([IsoDateTime, Type.Null()]),
  breachedAt: Type.Union([IsoDateTime, Type.Null()]),
})
export type SlaTarget = Static<typeof SlaTarget>

/** A conversation's nearest running deadline: what its badge shows. */
export const ConversationSla = Type.Object({
  state: StringEnum(['active', 'paused', 'breached'] as const),
  dueAt: Type.Union([IsoDateTime, Type.Null()]),
})
export type ConversationSla = Static<typeof ConversationSla>

/** The badge's colours: green with more than 15 minutes left, amber within 15, red once breached. */
export const slaAmberMinutes = 15
export type SlaTone = 'green' | 'amber' | 'red' | 'paused'

export function slaTone(sla: ConversationSla, now: Date): SlaTone {
  if (sla.state === 'paused' || sla.dueAt === null) return 'paused'
  const left = Date.parse(sla.dueAt) - now.getTime()
  if (sla.state === 'breached' || left <= 0) return 'red'
  return left <= slaAmberMinutes * 60_000 ? 'amber' : 'green'
}

/** "12m", "3h 5m", "2d 4h": how long until (or since) the deadline, for a badge. */
export function formatSlaLeft(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`
  const days = Math.floor(hours / 24)
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`
}

export function slaLabel(sla: ConversationSla, now: Date): string {
  if (sla.state === 'paused' || sla.dueAt === null) return 'SLA paused: waiting on the customer'
  const left = Date.parse(sla.dueAt) - now.getTime()
  return left <= 0 ? `Breached ${formatSlaLeft(left)} ago` : `${formatSlaLeft(left)} left`
}

/** The inbox's SLA filter. */
export const slaFilters = ['breached', 'at_risk', 'on_track', 'paused', 'none'] as const
export const SlaFilter = StringEnum(slaFilters)
export type SlaFilter = Static<typeof SlaFilter>

const IdParams = Type.Object({ id: Id })

export const slaPoliciesApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/sla-policies',
    summary: 'SLA policies in the order they are tried: the first enabled one that matches applies',
    tags: ['sla'],
    access: { role: 'agent' },
    schema: { response: { 200: Type.Object({ items: Type.Array(SlaPolicy) }) } },
  }),
  create: defineRoute({
    method: 'POST',
    url: '/api/sla-policies',
    summary: 'Add an SLA policy at the end of the list (team leads and admins); open conversations are recomputed',
    tags: ['sla'],
    access: { role: 'lead' },
    schema: { body: Type.Object(SlaPolicyInput, { additionalProperties: false }), response: { 200: SlaPolicy } },
  }),
  update: defineRoute({
    method: 'PATCH',
    url: '/api/sla-policies/:id',
    summary: "Change an SLA policy (team leads and admins); open conversations' deadlines are recomputed",
    tags: ['sla'],
    access: { role: 'lead' },
    schema: {
      params: IdParams,
      body: Type.Partial(Type.Object(SlaPolicyInput), { additionalProperties: false, minProperties: 1 }),
      response: { 200: SlaPolicy },
    },
  }),
  reorder: defineRoute({
    method: 'PUT',
    url: '/api/sla-policies/order',
    summary: 'Set the order policies are tried in (every policy id, once)',
    tags: ['sla'],
    access: { role: 'lead' },
    schema: {
      body: Type.Object({ ids: Type.Array(Id, { maxItems: 200, uniqueItems: true }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(SlaPolicy) }) },
    },
  }),
  remove: defineRoute({
    method: 'DELETE',
    url: '/api/sla-policies/:id',
    summary: 'Delete an SLA policy; conversations it applied to are matched again',
    tags: ['sla'],
    access: { role: 'lead' },
    schema: { params: IdParams, response: { 200: Type.Object({ ok: Type.Literal(true) }) } },
  }),
  targets: defineRoute({
    method: 'GET',
    url: '/api/conversations/:id/sla',
    summary: "A conversation's SLA targets, newest cycle first: running, achieved and breached",
    tags: ['sla'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: { params: IdParams, response: { 200: Type.Object({ items: Type.Array(SlaTarget) }) } },
  }),
}
