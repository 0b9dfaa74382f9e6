import type { SlaGoal, SlaTargetKind } from '@carebox/shared'
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from './business-time.js'

/**
 * The SLA targets a conversation's current cycle should have, computed from its messages alone. Keeping the
 * computation pure and stateless means every event (a message, a reply, a policy edit, a timer) recomputes the
 * same answer from the same facts: nothing drifts, and replaying an event changes nothing.
 */

/** A public message of the cycle: the customer's, or a reply by a person (notes and automated replies are left out). */
export interface CycleMessage {
  at: Date
  from: 'customer' | 'human'
}

export interface PlannedTarget {
  kind: SlaTargetKind
  startedAt: Date
  goal: SlaGoal
  status: 'active' | 'paused' | 'achieved' | 'breached'
  /** Null while paused (the deadline moves by however long the pause lasts). */
  dueAt: Date | null
  stoppedAt: Date | null
  breachedAt: Date | null
  pausedMinutes: number
}

/** Minutes on a goal's clock between two instants: calendar time, or the team's open time. */
function minutesBetween(goal: SlaGoal, calendar: BusinessCalendar, from: Date, to: Date): number {
  if (to <= from) return 0
  return goal.businessHours ? businessMinutesBetween(calendar, from, to) : (to.getTime() - from.getTime()) / 60_000
}

/** The instant `minutes` later on a goal's clock. A team whose hours never open falls back to calendar time. */
function minutesAfter(goal: SlaGoal, calendar: BusinessCalendar, from: Date, minutes: number): Date {
  const business = goal.businessHours ? addBusinessMinutes(calendar, from, minutes) : null
  return business ?? new Date(from.getTime() + minutes * 60_000)
}

/** An interval during which a clock runs; `to` null: still running. */
interface Interval {
  from: Date
  to: Date | null
}

/**
 * Runs a goal's clock over its intervals: the deadline is where the running total reaches the goal. Null when
 * the intervals (all closed: the clock is paused now) end before it.
 */
function deadlineOver(goal: SlaGoal, calendar: BusinessCalendar, intervals: Interval[]): Date | null {
  let spent = 0
  for (const interval of intervals) {
    const due = minutesAfter(goal, calendar, interval.from, goal.minutes - spent)
    if (interval.to === null || due <= interval.to) return due
    spent += minutesBetween(goal, calendar, interval.from, interval.to)
  }
  return null
}

function settle(
  kind: SlaTargetKind,
  goal: SlaGoal,
  startedAt: Date,
  dueAt: Date | null,
  stoppedAt: Date | null,
  paused: boolean,
  pausedMinutes: number,
  now: Date,
): PlannedTarget {
  const base = { kind, goal, startedAt, dueAt, stoppedAt, pausedMinutes }
  const breachedBy = stoppedAt ?? now
  if (dueAt !== null && dueAt < breachedBy) return { ...base, status: 'breached', breachedAt: dueAt }
  if (stoppedAt !== null) return { ...base, status: 'achieved', breachedAt: null }
  // Met exactly at the deadline counts as met; running at the deadline instant is not yet breached.
  if (dueAt !== null && dueAt.getTime() === now.getTime() && !paused) return { ...base, status: 'breached', breachedAt: dueAt }
  return { ...base, status: paused ? 'paused' : 'active', breachedAt: null }
}

export function planTargets(input: {
  messages: CycleMessage[]
  goals: Partial<Record<SlaTargetKind, SlaGoal>>
  calendar: BusinessCalendar
  now: Date
}): PlannedTarget[] {
  const { messages, goals, calendar, now } = input
  const cycleStart = messages.find((m) => m.from === 'customer')?.at
  if (!cycleStart) return []
  const cycle = messages.filter((m) => m.at >= cycleStart)
  const planned: PlannedTarget[] = []

  const firstReply = cycle.find((m) => m.from === 'human')?.at ?? null
  if (goals.first_response) {
    const goal = goals.first_response
    const due = minutesAfter(goal, calendar, cycleStart, goal.minutes)
    planned.push(settle('first_response', goal, cycleStart, due, firstReply, false, 0, now))
  }

  if (goals.next_response && firstReply) {
    const goal = goals.next_response
    let waitingSince: Date | null = null
    for (const message of cycle) {
      if (message.at <= firstReply) continue
      if (message.from === 'customer' && waitingSince === null) waitingSince = message.at
      if (message.from === 'human' && waitingSince !== null) {
        planned.push(settle('next_response', goal, waitingSince, minutesAfter(goal, calendar, waitingSince, goal.minutes), message.at, false, 0, now))
        waitingSince = null
      }
    }
    if (waitingSince !== null)
      planned.push(settle('next_response', goal, waitingSince, minutesAfter(goal, calendar, waitingSince, goal.minutes), null, false, 0, now))
  }

  if (goals.resolution) {
    // The clock runs while the customer waits on us and stops while we wait on them (our reply is the latest).
    const goal = goals.resolution
    const running: Interval[] = []
    let current: Interval | null = { from: cycleStart, to: null }
    let pausedMinutes = 0
    let pausedSince: Date | null = null
    for (const message of cycle) {
      if (message.from === 'human' && current) {
        current.to = message.at
        running.push(current)
        current = null
        pausedSince = message.at
      } else if (message.from === 'customer' && !current && pausedSince) {
        pausedMinutes += minutesBetween(goal, calendar, pausedSince, message.at)
        current = { from: message.at, to: null }
        pausedSince = null
      }
    }
    if (current) running.push(current)
    if (pausedSince) pausedMinutes += minutesBetween(goal, calendar, pausedSince, now)
    planned.push(settle('resolution', goal, cycleStart, deadlineOver(goal, calendar, running), null, current === null, pausedMinutes, now))
  }
  return planned
}
