import { insertEvent } from '../conversations/messages.repository.js'
import type { AutomationRule, Notification, OutcomeInput, RuleAction, RuleConditions, SentimentLabel } from '@carebox/shared'
import { recordOutcomeInTx } from '../attribution/record-outcome.js'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { recordResolution } from '../reports/resolutions.repository.js'
import { effectiveSentiment, latestCustomerSentiment } from '../sentiment/effective-sentiment.js'

/** What rules did inside a transaction that must be told after it commits. */
export interface RuleEffects {
  notifications: { userId: string; notification: Notification }[]
  /** Events written into conversations' activity, to publish. */
  eventIds: string[]
  /** Conversations whose state a rule changed (priority, tags, assignee, status). */
  changed: Set<string>
}

export function noEffects(): RuleEffects {
  return { notifications: [], eventIds: [], changed: new Set() }
}

export type RuleRow = Pick<AutomationRule, 'id' | 'teamId' | 'name' | 'trigger' | 'afterMinutes' | 'conditions' | 'actions'>

/** The facts a rule's conditions are tested against. */
export interface RuleSubject {
  conversationId: string
  channelId: string
  channelKind: string
  teamId: string
  conversationKind: 'dm' | 'public'
  priority: string
  tags: string[]
  language: string | null
  status: string
  assigneeId: string | null
  contactTags: string[]
  followers: number | null
  preview: string
  /** The customer's message that triggered the rule, when one did. */
  text: string | null
  /**
   * The effective sentiment of that message, or else of the customer's latest message (null: none to read, or a
   * message stored before sentiment was, read from `text` when there is one).
   */
  sentiment: SentimentLabel | null
}

export async function loadRuleSubject(db: Database, conversationId: string, text: string | null = null): Promise<RuleSubject | null> {
  const subject = (await loadRuleSubjects(db, [conversationId])).get(conversationId)
  return subject ? { ...subject, text } : null
}

/** The subjects of many conversations in one query (a batch of new messages), without a message's text. */
export async function loadRuleSubjects(db: Database, conversationIds: string[]): Promise<Map<string, RuleSubject>> {
  if (conversationIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channelId')
    .innerJoin('contacts as ct', 'ct.id', 'c.contactId')
    .select([
      'c.id',
      'c.channelId',
      'ch.kind as channelKind',
      'c.kind',
      'c.priority',
      'c.tags',
      'c.language',
      'c.status',
      'c.assigneeId',
      'ct.tags as contactTags',
      'c.lastMessagePreview',
    ])
    .select('c.teamId')
    .select(sql<string | null>`ct.attributes->>'followers'`.as('followers'))
    .select(latestCustomerSentiment('c').as('sentiment'))
    .where('c.id', 'in', conversationIds)
    .execute()
  return new Map(
    rows.map((row) => {
      const followers = row.followers !== null && /^\d+$/.test(row.followers) ? Number(row.followers) : null
      const subject: RuleSubject = {
        conversationId: row.id,
        channelId: row.channelId,
        channelKind: row.channelKind,
        teamId: row.teamId,
        conversationKind: row.kind as 'dm' | 'public',
        priority: row.priority,
        tags: row.tags,
        language: row.language,
        status: row.status,
        assigneeId: row.assigneeId,
        contactTags: row.contactTags,
        followers,
        preview: row.lastMessagePreview,
        text: null,
        sentiment: row.sentiment,
      }
      return [row.id, subject]
    }),
  )
}

/** Every condition the rule states holds. Keywords match anywhere in the text, in any script, ignoring case. */
export function conditionsHold(conditions: RuleConditions, subject: RuleSubject): boolean {
  const c = conditions
  if (c.keywords?.length) {
    const text = (subject.text ?? subject.preview).toLocaleLowerCase()
    if (!c.keywords.some((word) => text.includes(word.toLocaleLowerCase()))) return false
  }
  if (c.vip && !subject.contactTags.some((tag) => tag.toLowerCase() === 'vip')) return false
  if (c.conversationKinds?.length && !c.conversationKinds.includes(subject.conversationKind)) return false
  if (c.channelKinds?.length && !(c.channelKinds as string[]).includes(subject.channelKind)) return false
  if (c.languages?.length && (subject.language === null || !c.languages.includes(subject.language))) return false
  if (c.priorities?.length && !(c.priorities as string[]).includes(subject.priority)) return false
  if (c.tags?.length && !c.tags.some((tag) => subject.tags.includes(tag))) return false
  if (c.minFollowers !== undefined && (subject.followers === null || subject.followers < c.minFollowers)) return false
  if (c.sentiments?.length) {
    // A message stored before sentiment was has none: the model reads it now, as it would have.
    const sentiment = subject.sentiment ?? (subject.text !== null ? effectiveSentiment({ text: subject.text, language: subject.language }) : null)
    if (sentiment === null || !(c.sentiments as string[]).includes(sentiment)) return false
  }
  return true
}

const priorityRank: Record<string, number> = { low: 0, normal: 1, high: 2, urgent: 3 }

function recordEvent(trx: Database, subject: RuleSubject, text: string, at: Date, kind: 'event' | 'note' = 'event'): Promise<string> {
  return insertEvent(trx, { conversationId: subject.conversationId, channelId: subject.channelId, kind, text, at })
}

async function recipients(trx: Database, who: 'assignee' | 'leads' | 'team', subject: RuleSubject): Promise<string[]> {
  if (who === 'assignee') return subject.assigneeId ? [subject.assigneeId] : []
  const rows = await trx
    .selectFrom('teamMembers as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select('u.id')
    .where('m.teamId', '=', subject.teamId)
    .where('u.active', '=', true)
    .$if(who === 'leads', (q) => q.where('u.role', 'in', ['lead', 'admin']))
    .execute()
  return rows.map((r) => r.id)
}

async function perform(trx: Database, rule: RuleRow, action: RuleAction, subject: RuleSubject, now: Date, effects: RuleEffects): Promise<void> {
  const by = `by the rule “${rule.name}”`
  switch (action.type) {
    case 'set_priority':
      // A rule raises priority; it never lowers what a person or an earlier rule set.
      if (priorityRank[action.priority]! <= priorityRank[subject.priority]!) return
      await trx.updateTable('conversations').set({ priority: action.priority, updatedAt: now }).where('id', '=', subject.conversationId).execute()
      effects.eventIds.push(await recordEvent(trx, subject, `Priority set to ${action.priority} ${by}`, now))
      subject.priority = action.priority
      effects.changed.add(subject.conversationId)
      return
    case 'add_tag':
      if (subject.tags.includes(action.tag.toLowerCase())) return
      subject.tags = [...subject.tags, action.tag.toLowerCase()]
      await trx.updateTable('conversations').set({ tags: subject.tags, updatedAt: now }).where('id', '=', subject.conversationId).execute()
      effects.eventIds.push(await recordEvent(trx, subject, `Tagged ${action.tag.toLowerCase()} ${by}`, now))
      effects.changed.add(subject.conversationId)
      return
    case 'notify': {
      const kind = rule.trigger.startsWith('sla.') ? 'sla' : 'rule'
      for (const userId of await recipients(trx, action.who, subject)) {
        effects.notifications.push({
          userId,
          notification: { kind, conversationId: subject.conversationId, by: null, preview: `${rule.name}: ${subject.preview}`.slice(0, 200) },
        })
      }
      return
    }
    case 'unassign':
      if (subject.assigneeId === null) return
      await trx.updateTable('conversations').set({ assigneeId: null, updatedAt: now }).where('id', '=', subject.conversationId).execute()
      effects.eventIds.push(await recordEvent(trx, subject, `Returned to the team queue ${by}`, now))
      subject.assigneeId = null
      effects.changed.add(subject.conversationId)
      return
    case 'add_note':
      effects.eventIds.push(await recordEvent(trx, subject, action.text, now, 'note'))
      return
    case 'resolve':
      if (subject.status === 'resolved') return
      await trx
        .updateTable('conversations')
        .set({ status: 'resolved', snoozedUntil: null, resolvedAt: now, updatedAt: now })
        .where('id', '=', subject.conversationId)
        .execute()
      await recordResolution(trx, { conversationId: subject.conversationId, at: now, by: null, assigneeId: subject.assigneeId })
      effects.eventIds.push(await recordEvent(trx, subject, `Resolved ${by}`, now))
      subject.status = 'resolved'
      effects.changed.add(subject.conversationId)
      return
    case 'record_outcome': {
      const recorded = await recordOutcomeInTx(trx, {
        conversationId: subject.conversationId,
        channel: { id: subject.channelId, kind: subject.channelKind },
        input: action.outcome,
        recordedBy: null,
        actor: { type: 'rule', id: rule.id },
        at: now,
      })
      if (recorded) effects.eventIds.push(await recordEvent(trx, subject, `${outcomeText(action.outcome)} recorded ${by}`, now))
      return
    }
  }
}

/** "Lead" or "Purchase of 49.90 EUR", as the activity shows it. */
function outcomeText(outcome: OutcomeInput): string {
  return outcome.kind === 'purchase' ? `Purchase of ${outcome.value.toFixed(2)} ${outcome.currency}` : 'Lead'
}

/**
 * The runs of many occasions at once (a batch of customer messages): the ones already made are read in one query
 * before, the new ones written in one statement after (`writeClaims`), instead of an insert per rule and message.
 */
export interface ClaimBatch {
  /** Runs made already, or claimed in this batch: `rule conversation occasion`. */
  taken: Set<string>
  made: { ruleId: string; conversationId: string; occasion: string; ranAt: Date }[]
}

const claimKey = (ruleId: string, conversationId: string, occasion: string) => `${ruleId} ${conversationId} ${occasion}`

export async function readClaims(trx: Database, ruleIds: string[], conversationIds: string[], occasions: string[]): Promise<ClaimBatch> {
  const taken = new Set<string>()
  if (ruleIds.length > 0 && conversationIds.length > 0 && occasions.length > 0) {
    const rows = await trx
      .selectFrom('automationRuns')
      .select(['ruleId', 'conversationId', 'occasion'])
      .where('ruleId', 'in', ruleIds)
      .where('conversationId', 'in', conversationIds)
      .where('occasion', 'in', occasions)
      .execute()
    for (const row of rows) taken.add(claimKey(row.ruleId, row.conversationId, row.occasion))
  }
  return { taken, made: [] }
}

/**
 * Writes a batch's new runs. One already there means another transaction claimed it meanwhile (a replayed change
 * while the consumer ran it): failing rolls back the actions too, and the retry reads the claim and skips it.
 */
export async function writeClaims(trx: Database, claims: ClaimBatch): Promise<void> {
  if (claims.made.length === 0) return
  const written = await trx
    .insertInto('automationRuns')
    .values(claims.made)
    .onConflict((oc) => oc.columns(['ruleId', 'conversationId', 'occasion']).doNothing())
    .returning('ruleId')
    .execute()
  if (written.length < claims.made.length) throw new ClaimTaken()
}

/** A serialization failure in all but name, so it carries that SQLSTATE: consumers retry it as one, uncounted. */
class ClaimTaken extends Error {
  readonly code = '40001'
  constructor() {
    super('a rule run was claimed by another transaction meanwhile; retrying')
  }
}

/**
 * Runs the rules of one trigger against one conversation, in order, each at most once per occasion (a target's
 * breach, a wait that began at a given message): a timer that fires twice, or a job retried, acts once. With
 * `claims`, the runs are checked against and added to the batch's (written later by `writeClaims`).
 */
export async function runRules(
  trx: Database,
  rules: readonly RuleRow[],
  subject: RuleSubject,
  occasion: string,
  now: Date,
  effects: RuleEffects,
  claims?: ClaimBatch,
): Promise<void> {
  for (const rule of rules) {
    if (rule.teamId !== null && rule.teamId !== subject.teamId) continue
    if (!conditionsHold(rule.conditions, subject)) continue
    if (claims) {
      const key = claimKey(rule.id, subject.conversationId, occasion)
      if (claims.taken.has(key)) continue
      claims.taken.add(key)
      claims.made.push({ ruleId: rule.id, conversationId: subject.conversationId, occasion, ranAt: now })
    } else {
      const claimed = await trx
        .insertInto('automationRuns')
        .values({ ruleId: rule.id, conversationId: subject.conversationId, occasion, ranAt: now })
        .onConflict((oc) => oc.columns(['ruleId', 'conversationId', 'occasion']).doNothing())
        .returning('ruleId')
        .executeTakeFirst()
      if (!claimed) continue
    }
    for (const action of rule.actions) await perform(trx, rule, action, subject, now, effects)
  }
}
