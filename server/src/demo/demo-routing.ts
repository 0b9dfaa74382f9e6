import type { RuleAction, RuleConditions, RuleTrigger, SlaTargets } from '@carebox/shared'
import type { AppContext } from '../context.js'

/**
 * Complaint words in the demo personas' languages: what a lead would list to put complaints first. Keywords
 * match inside words, so a stem catches every ending (Czech "reklamac" in reklamace, reklamaci, reklamací). The
 * rule also asks for a negative message, so the list can be broad: thanks that mention a refund are not urgent.
 */
export const complaintWords = [
  'refund',
  'broken',
  'cancel',
  'complaint',
  'damaged',
  'not working',
  "doesn't work",
  'missing',
  'charged twice',
  'never arrived',
  '退款',
  '投诉',
  '坏',
  '损坏',
  '没收到',
  '少了',
  'возврат',
  'жалоб',
  'слома',
  'поврежд',
  'не работает',
  'не хватает',
  'дважды',
  'reklamac',
  'stížnost',
  'rozbit',
  'poškozen',
  'nefunguj',
  'nedorazil',
  'chybí',
  '返金',
  '壊れ',
  '破損',
  '割れ',
  '届いていません',
  '足りません',
  'reembolso',
  'queja',
  'roto',
  'dañad',
  'no funciona',
  'no ha llegado',
  'falta',
]

const demoPolicies: { name: string; conditions: object; targets: SlaTargets }[] = [
  {
    name: 'Urgent and high priority',
    conditions: { priorities: ['urgent', 'high'] },
    targets: {
      urgent: {
        first_response: { minutes: 15, businessHours: false },
        next_response: { minutes: 30, businessHours: false },
        resolution: { minutes: 240, businessHours: false },
      },
      high: {
        first_response: { minutes: 30, businessHours: false },
        next_response: { minutes: 60, businessHours: false },
        resolution: { minutes: 480, businessHours: true },
      },
    },
  },
  {
    name: 'Standard',
    conditions: {},
    targets: {
      normal: {
        first_response: { minutes: 60, businessHours: false },
        next_response: { minutes: 120, businessHours: true },
        resolution: { minutes: 1440, businessHours: true },
      },
      low: { first_response: { minutes: 240, businessHours: true }, resolution: { minutes: 2880, businessHours: true } },
    },
  },
]

export const demoRules: { name: string; trigger: RuleTrigger; afterMinutes: number | null; conditions: RuleConditions; actions: RuleAction[] }[] = [
  {
    // A complaint word in a message that is not negative ("the refund arrived, thanks!") is no complaint.
    name: 'Complaint words: urgent',
    trigger: 'message.received',
    afterMinutes: null,
    conditions: { keywords: complaintWords, sentiments: ['negative'] },
    actions: [
      { type: 'set_priority', priority: 'urgent' },
      { type: 'add_tag', tag: 'complaint' },
    ],
  },
  {
    name: 'VIP customers: high',
    trigger: 'message.received',
    afterMinutes: null,
    conditions: { vip: true },
    actions: [{ type: 'set_priority', priority: 'high' }],
  },
  {
    name: 'Public posts: high',
    trigger: 'message.received',
    afterMinutes: null,
    conditions: { conversationKinds: ['public'] },
    actions: [{ type: 'set_priority', priority: 'high' }],
  },
  {
    name: 'Waiting 30 minutes: high',
    trigger: 'customer.waiting',
    afterMinutes: 30,
    conditions: { priorities: ['low', 'normal'] },
    actions: [{ type: 'set_priority', priority: 'high' }],
  },
  { name: 'Amber: tell the leads', trigger: 'sla.warning', afterMinutes: null, conditions: {}, actions: [{ type: 'notify', who: 'leads' }] },
  {
    name: 'Breached: back to the queue',
    trigger: 'sla.breached',
    afterMinutes: null,
    conditions: {},
    actions: [{ type: 'unassign' }, { type: 'notify', who: 'team' }],
  },
  {
    name: 'No answer from the customer for 48 hours: resolve',
    trigger: 'customer.silent',
    afterMinutes: 48 * 60,
    conditions: {},
    actions: [{ type: 'add_note', text: 'Resolved automatically: no answer from the customer for 48 hours.' }, { type: 'resolve' }],
  },
  { name: 'Snooze over: tell the assignee', trigger: 'snooze.ended', afterMinutes: null, conditions: {}, actions: [{ type: 'notify', who: 'assignee' }] },
]

/**
 * The demo's service levels and rules, so badges, escalations and auto-assignment are there to see at the first
 * start. Seeded only into an empty list: never over a lead's edits. The first start is the one that found no rules.
 */
export async function seedDemoRouting(ctx: AppContext): Promise<{ firstStart: boolean }> {
  const policy = await ctx.db.selectFrom('slaPolicies').select('id').limit(1).executeTakeFirst()
  if (!policy) {
    await ctx.db
      .insertInto('slaPolicies')
      .values(demoPolicies.map((p, i) => ({ position: i + 1, name: p.name, conditions: JSON.stringify(p.conditions), targets: JSON.stringify(p.targets) })))
      .execute()
  }
  const rule = await ctx.db.selectFrom('automationRules').select('id').limit(1).executeTakeFirst()
  if (!rule) {
    await ctx.db
      .insertInto('automationRules')
      .values(
        demoRules.map((r, i) => ({
          position: i + 1,
          name: r.name,
          trigger: r.trigger,
          afterMinutes: r.afterMinutes,
          conditions: JSON.stringify(r.conditions),
          actions: JSON.stringify(r.actions),
        })),
      )
      .execute()
    // First start: the demo team hands conversations out to whoever signs in.
    await ctx.db.updateTable('teams').set({ autoAssign: true }).where('name', '=', 'Support').execute()
  }
  return { firstStart: !rule }
}

/** The acknowledgement the demo's WhatsApp number sends outside the team's hours. */
export const demoOutOfHoursReply =
  'Thanks for your message! Our team is away right now (Monday to Friday, 9:00–17:00 UTC). We will answer as soon as we are back.'
