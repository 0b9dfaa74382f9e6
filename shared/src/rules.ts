import { Type, type Static } from '@sinclair/typebox'
import { OutcomeInput } from './attribution.js'
import { ChannelKind } from './channels.js'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'
import { LanguageCode, Priority, Tag } from './conversation-fields.js'
import { PersonSentimentLabel } from './sentiment.js'

/** When a rule is looked at. Time-based triggers wait `afterMinutes` and are run by a timer, not a sweep. */
export const ruleTriggers = ['message.received', 'customer.waiting', 'customer.silent', 'sla.warning', 'sla.breached', 'snooze.ended'] as const
export const RuleTrigger = StringEnum(ruleTriggers)
export type RuleTrigger = Static<typeof RuleTrigger>

export const ruleTriggerLabels: Record<RuleTrigger, string> = {
  'message.received': 'A customer message arrives',
  'customer.waiting': 'The customer has waited for a reply for…',
  'customer.silent': 'We replied and the customer has not answered for…',
  'sla.warning': 'An SLA target is 15 minutes or less from breaching',
  'sla.breached': 'An SLA target is breached',
  'snooze.ended': 'A snooze ends (the conversation reopens)',
}

/** Triggers that need `afterMinutes`. */
export const timedTriggers: readonly RuleTrigger[] = ['customer.waiting', 'customer.silent']

/** Every listed condition must hold; a missing one matches anything. */
export const RuleConditions = Type.Object(
  {
    /** Any of these words or phrases in the customer's message, in any script, case-insensitive. */
    keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 100 })),
    /** The customer is tagged `vip`. */
    vip: Type.Optional(Type.Boolean()),
    /** Public: a comment or mention anyone can read; dm: a private conversation. */
    conversationKinds: Type.Optional(Type.Array(StringEnum(['dm', 'public'] as const), { maxItems: 2 })),
    channelKinds: Type.Optional(Type.Array(ChannelKind, { maxItems: 7 })),
    languages: Type.Optional(Type.Array(LanguageCode, { maxItems: 50 })),
    priorities: Type.Optional(Type.Array(Priority, { maxItems: 4 })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
    /** The customer has at least this many followers, where the platform says. */
    minFollowers: Type.Optional(Type.Integer({ minimum: 0 })),
    /**
     * The customer's message reads as one of these (its effective sentiment: a person's label, else the model's);
     * for a rule not set off by a message, the customer's latest message. A message with no sentiment matches none.
     */
    sentiments: Type.Optional(Type.Array(PersonSentimentLabel, { maxItems: 3 })),
  },
  { additionalProperties: false },
)
export type RuleConditions = Static<typeof RuleConditions>

export const RuleAction = Type.Union([
  Type.Object({ type: Type.Literal('set_priority'), priority: Priority }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('add_tag'), tag: Tag }, { additionalProperties: false }),
  /** Who is told, by a console notification: the assignee, the team's leads, or everyone in the team. */
  Type.Object({ type: Type.Literal('notify'), who: StringEnum(['assignee', 'leads', 'team'] as const) }, { additionalProperties: false }),
  /** Back to the team queue (auto-assignment, where on, hands it out again). */
  Type.Object({ type: Type.Literal('unassign') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('add_note'), text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('resolve') }, { additionalProperties: false }),
  /** Records what the conversation led to (once per kind), as an agent would: sent as conversation.outcome and, where configured, to Meta. */
  Type.Object({ type: Type.Literal('record_outcome'), outcome: OutcomeInput }, { additionalProperties: false }),
])
export type RuleAction = Static<typeof RuleAction>

export const ruleActionLabels: Record<RuleAction['type'], string> = {
  set_priority: 'Set priority',
  add_tag: 'Add tag',
  notify: 'Notify',
  unassign: 'Back to the team queue',
  add_note: 'Add a private note',
  resolve: 'Resolve',
  record_outcome: 'Record an outcome',
}

export const AutomationRule = Type.Object({
  id: Id,
  /** Null: every team. */
  teamId: Type.Union([Id, Type.Null()]),
  position: Type.Integer(),
  name: Type.String(),
  enabled: Type.Boolean(),
  trigger: RuleTrigger,
  afterMinutes: Type.Union([Type.Integer(), Type.Null()]),
  conditions: RuleConditions,
  actions: Type.Array(RuleAction),
  updatedAt: IsoDateTime,
})
export type AutomationRule = Static<typeof AutomationRule>

const RuleInput = {
  teamId: Type.Union([Id, Type.Null()]),
  name: Type.String({ minLength: 1, maxLength: 120 }),
  enabled: Type.Boolean(),
  trigger: RuleTrigger,
  afterMinutes: Type.Union([Type.Integer({ minimum: 1, maximum: 525_600 }), Type.Null()]),
  conditions: RuleConditions,
  actions: Type.Array(RuleAction, { minItems: 1, maxItems: 10 }),
}

const IdParams = Type.Object({ id: Id })

export const rulesApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/rules',
    summary: 'Automation rules: priority signals, escalations and time-based rules, in the order they run',
    tags: ['rules'],
    access: { role: 'lead' },
    schema: { response: { 200: Type.Object({ items: Type.Array(AutomationRule) }) } },
  }),
  create: defineRoute({
    method: 'POST',
    url: '/api/rules',
    summary: 'Add a rule at the end of the list (team leads and admins)',
    tags: ['rules'],
    access: { role: 'lead' },
    schema: { body: Type.Object(RuleInput, { additionalProperties: false }), response: { 200: AutomationRule } },
  }),
  update: defineRoute({
    method: 'PATCH',
    url: '/api/rules/:id',
    summary: 'Change a rule (team leads and admins)',
    tags: ['rules'],
    access: { role: 'lead' },
    schema: {
      params: IdParams,
      body: Type.Partial(Type.Object(RuleInput), { additionalProperties: false, minProperties: 1 }),
      response: { 200: AutomationRule },
    },
  }),
  remove: defineRoute({
    method: 'DELETE',
    url: '/api/rules/:id',
    summary: 'Delete a rule (team leads and admins)',
    tags: ['rules'],
    access: { role: 'lead' },
    schema: { params: IdParams, response: { 200: Type.Object({ ok: Type.Literal(true) }) } },
  }),
}
