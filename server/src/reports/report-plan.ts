import type { SentimentLabel, SlaTargetKind } from '@carebox/shared'
import { businessMinutesBetween, type BusinessCalendar } from '../sla/business-time.js'
import { localDay } from './local-time.js'
import { bucketOf } from './time-buckets.js'

/**
 * What one conversation adds to the reports, computed from its messages, resolutions and SLA outcomes alone (the
 * definitions are docs/metrics.md). Pure and total: every change recomputes the whole conversation and the
 * rollups take the difference, so a late message, a deleted one or a reopen lands where it belongs.
 */

export interface ReportMessage {
  at: Date
  /** customer: theirs. human: a public reply by a person (from Carebox or on the platform). */
  kind: 'customer' | 'human' | 'automated' | 'note'
  /** The person who wrote it; null for customers and replies written on the platform itself. */
  agentId: string | null
  /** A customer's message: its effective sentiment (docs/metrics.md); null for ours. */
  sentiment: SentimentLabel | null
}

export interface ReportResolution {
  at: Date
  assigneeId: string | null
}

export interface ReportSlaOutcome {
  kind: SlaTargetKind
  cycleStartedAt: Date
  status: 'achieved' | 'breached'
  /** When it was met, or when it breached. */
  at: Date
}

/** One addition to a rollup: `bucket` -1 for a counter, else a time histogram's bucket (seconds). */
export interface Contribution {
  at: Date
  agentId: string | null
  metric: Metric
  bucket: number
  count: number
}

export type Metric =
  | 'conversations'
  | 'conversations_answered'
  | 'customer_messages'
  | 'answered_messages'
  | 'negative_messages'
  /** Customer messages with a sentiment other than unknown: the negative share's denominator. */
  | 'labelled_messages'
  | 'replies'
  | 'notes'
  | 'automated'
  | 'resolved'
  | 'reopened'
  | 'frt'
  | 'frt_bh'
  | 'next'
  | 'next_bh'
  | 'resolution'
  | 'resolution_bh'
  | 'handle'
  | 'handle_bh'
  /** Seconds of business-time handle, summed: the cost panel's human handle hours. */
  | 'handle_bh_seconds'
  | `sla_${'achieved' | 'breached'}_${SlaTargetKind}`

export interface CycleFacts {
  cycle: number
  agentId: string | null
  startedAt: Date
  firstResponseAt: Date | null
  firstResponseSeconds: number | null
  firstResponseBusinessSeconds: number | null
  resolvedAt: Date | null
  resolutionSeconds: number | null
  resolutionBusinessSeconds: number | null
  handleSeconds: number | null
  handleBusinessSeconds: number | null
  customerMessages: number
  answeredMessages: number
  replies: number
  reopened: boolean
  slaAchieved: number
  slaBreached: number
}

/** A customer who writes again within this long after a resolve has reopened it (the reopen rate's window). */
export const reopenWindowMs = 7 * 24 * 3_600_000

interface OpenCycle {
  facts: CycleFacts
  firstResponderId: string | null
  /** Customer messages not yet followed by a reply, oldest first. */
  unanswered: ReportMessage[]
  messages: { message: ReportMessage; answered: boolean }[]
  nextResponses: { at: Date; agentId: string | null; seconds: number; businessSeconds: number }[]
}

/** Seconds on the team's clock; a team whose hours are not set counts calendar time. */
function businessSeconds(calendar: BusinessCalendar, from: Date, to: Date): number {
  if (to <= from) return 0
  if (calendar.shifts.length === 0) return (to.getTime() - from.getTime()) / 1000
  return businessMinutesBetween(calendar, from, to) * 60
}

const seconds = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000)

export function planReport(input: {
  messages: ReportMessage[]
  resolutions: ReportResolution[]
  sla: ReportSlaOutcome[]
  calendar: BusinessCalendar
  /** The assignee now: owns a cycle still open that nobody answered. */
  assigneeId: string | null
}): { cycles: CycleFacts[]; contributions: Contribution[]; waitingSince: Date | null } {
  const { calendar } = input
  const contributions: Contribution[] = []
  const add = (at: Date, agentId: string | null, metric: Metric, bucket = -1, count = 1) => contributions.push({ at, agentId, metric, bucket, count })
  const cycles: OpenCycle[] = []
  let current: OpenCycle | null = null

  // Resolutions sort after messages of the same instant: a message sent as it was resolved belongs to that cycle.
  type Step = { at: Date; message: ReportMessage } | { at: Date; resolution: ReportResolution }
  const steps: Step[] = [
    ...input.messages.map((message) => ({ at: message.at, message })),
    ...input.resolutions.map((resolution) => ({ at: resolution.at, resolution })),
  ]
  steps.sort((a, b) => a.at.getTime() - b.at.getTime() || ('message' in a ? 0 : 1) - ('message' in b ? 0 : 1))

  for (const step of steps) {
    if ('resolution' in step) {
      // A resolve with no cycle running (resolved twice, or before anyone wrote) ends nothing.
      if (!current) continue
      const facts = current.facts
      facts.resolvedAt = step.at
      facts.resolutionSeconds = seconds(facts.startedAt, step.at)
      facts.resolutionBusinessSeconds = businessSeconds(calendar, facts.startedAt, step.at)
      if (facts.firstResponseAt) {
        facts.handleSeconds = seconds(facts.firstResponseAt, step.at)
        facts.handleBusinessSeconds = businessSeconds(calendar, facts.firstResponseAt, step.at)
      }
      facts.agentId = current.firstResponderId ?? step.resolution.assigneeId
      current = null
      continue
    }
    const message = step.message
    if (message.kind === 'note') {
      add(message.at, message.agentId, 'notes')
      continue
    }
    if (message.kind === 'automated') {
      add(message.at, message.agentId, 'automated')
      continue
    }
    if (message.kind === 'customer') {
      if (!current) {
        const previous = cycles.at(-1)?.facts
        if (previous?.resolvedAt && message.at.getTime() - previous.resolvedAt.getTime() <= reopenWindowMs) previous.reopened = true
        current = {
          facts: {
            cycle: cycles.length + 1,
            agentId: null,
            startedAt: message.at,
            firstResponseAt: null,
            firstResponseSeconds: null,
            firstResponseBusinessSeconds: null,
            resolvedAt: null,
            resolutionSeconds: null,
            resolutionBusinessSeconds: null,
            handleSeconds: null,
            handleBusinessSeconds: null,
            customerMessages: 0,
            answeredMessages: 0,
            replies: 0,
            reopened: false,
            slaAchieved: 0,
            slaBreached: 0,
          },
          firstResponderId: null,
          unanswered: [],
          messages: [],
          nextResponses: [],
        }
        cycles.push(current)
      }
      current.facts.customerMessages++
      current.unanswered.push(message)
      current.messages.push({ message, answered: false })
      continue
    }
    // A public reply by a person. Outside a cycle (writing first, or after a resolve) it is a reply all the same.
    if (!current) {
      add(message.at, message.agentId, 'replies')
      continue
    }
    current.facts.replies++
    const waitingSince = current.unanswered[0]
    if (!current.facts.firstResponseAt) {
      current.facts.firstResponseAt = message.at
      current.firstResponderId = message.agentId
      current.facts.firstResponseSeconds = seconds(current.facts.startedAt, message.at)
      current.facts.firstResponseBusinessSeconds = businessSeconds(calendar, current.facts.startedAt, message.at)
    } else if (waitingSince) {
      current.nextResponses.push({
        at: message.at,
        agentId: message.agentId,
        seconds: seconds(waitingSince.at, message.at),
        businessSeconds: businessSeconds(calendar, waitingSince.at, message.at),
      })
    }
    for (const entry of current.messages) entry.answered = true
    current.unanswered = []
    add(message.at, message.agentId, 'replies')
  }

  const slaByCycle = new Map<number, ReportSlaOutcome[]>()
  for (const outcome of input.sla) {
    // The cycle the target belongs to: the last one begun at or before its cycle's start.
    const index = cycles.findLastIndex((c) => c.facts.startedAt.getTime() <= outcome.cycleStartedAt.getTime())
    if (index < 0) continue
    slaByCycle.set(index, [...(slaByCycle.get(index) ?? []), outcome])
  }

  // An inbound conversation is one with a customer message in the period (metrics.md): a reopen the same day is the
  // same conversation, counted once that day (answered if any of the day's cycles was). Periods are sums of days,
  // so a conversation reopened on another day counts on each day it came back.
  const days = new Map<string, { answered: boolean; at: Date; owner: string | null }>()
  cycles.forEach((cycle, index) => {
    const facts = cycle.facts
    // Who owns it: the first person to reply; else whoever it was assigned to when resolved, or now if still open.
    facts.agentId = cycle.firstResponderId ?? facts.agentId ?? (facts.resolvedAt ? null : input.assigneeId)
    const owner = facts.agentId
    const day = localDay(calendar.timeZone, facts.startedAt)
    const counted = days.get(day) ?? { answered: false, at: facts.startedAt, owner }
    if (!days.has(day)) {
      days.set(day, counted)
      add(facts.startedAt, owner, 'conversations')
    }
    if (facts.firstResponseAt) {
      // Where the day's conversation was counted: the same hour and owner, so a rate never exceeds 100%.
      if (!counted.answered) add(counted.at, counted.owner, 'conversations_answered')
      counted.answered = true
      add(facts.startedAt, owner, 'frt', bucketOf(facts.firstResponseSeconds ?? 0))
      add(facts.startedAt, owner, 'frt_bh', bucketOf(facts.firstResponseBusinessSeconds ?? 0))
    }
    for (const { message, answered } of cycle.messages) {
      add(message.at, owner, 'customer_messages')
      if (answered) {
        facts.answeredMessages++
        add(message.at, owner, 'answered_messages')
      }
      if (message.sentiment === 'negative') add(message.at, owner, 'negative_messages')
      if (message.sentiment !== null && message.sentiment !== 'unknown') add(message.at, owner, 'labelled_messages')
    }
    for (const next of cycle.nextResponses) {
      add(next.at, next.agentId, 'next', bucketOf(next.seconds))
      add(next.at, next.agentId, 'next_bh', bucketOf(next.businessSeconds))
    }
    if (facts.resolvedAt) {
      add(facts.resolvedAt, owner, 'resolved')
      add(facts.resolvedAt, owner, 'resolution', bucketOf(facts.resolutionSeconds ?? 0))
      add(facts.resolvedAt, owner, 'resolution_bh', bucketOf(facts.resolutionBusinessSeconds ?? 0))
      if (facts.handleSeconds !== null) {
        add(facts.resolvedAt, owner, 'handle', bucketOf(facts.handleSeconds))
        add(facts.resolvedAt, owner, 'handle_bh', bucketOf(facts.handleBusinessSeconds ?? 0))
        add(facts.resolvedAt, owner, 'handle_bh_seconds', -1, Math.round(facts.handleBusinessSeconds ?? 0))
      }
      if (facts.reopened) add(facts.resolvedAt, owner, 'reopened')
    }
    for (const outcome of slaByCycle.get(index) ?? []) {
      if (outcome.status === 'achieved') facts.slaAchieved++
      else facts.slaBreached++
      add(outcome.at, owner, `sla_${outcome.status}_${outcome.kind}`)
    }
  })
  // Still running: since when the customer has waited for a reply (null if answered or resolved).
  return { cycles: cycles.map((c) => c.facts), contributions, waitingSince: current?.unanswered[0]?.at ?? null }
}
