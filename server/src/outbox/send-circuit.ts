import { claimTrialSend, findSendCircuit, pauseSending, recordSendFailure, recordSendSuccess } from '../channels/channels.repository.js'
import type { Database } from '../db/client.js'

/**
 * Keeps one channel's troubles to itself. Two guards:
 * - in this process, a channel may hold only some of the platform worker slots at once, so a platform that
 *   hangs every call cannot take all of them while its calls time out;
 * - across processes (the state is on the channel's row), after `failuresToPause` sends in a row fail the channel's
 *   sending pauses as a whole, for a while that doubles at each new failure; then a single trial send finds out
 *   whether the platform is back, and the others wait for its answer. A 429 pauses the channel until the
 *   platform's retry-after, since the limit is the account's, not the reply's.
 */

export const failuresToPause = 5
const firstPauseMs = 15_000
const maxPauseMs = 5 * 60_000

/** How long to pause after this many failures in a row; undefined below the threshold. */
export function pauseAfterFailures(failures: number): number | undefined {
  if (failures < failuresToPause) return undefined
  return Math.min(firstPauseMs * 2 ** (failures - failuresToPause), maxPauseMs)
}

const inFlight = new Map<string, number>()

/** Takes one of the channel's slots in this process; false when it holds its share already. */
export function enterChannel(channelId: string, share: number): boolean {
  const current = inFlight.get(channelId) ?? 0
  if (current >= share) return false
  inFlight.set(channelId, current + 1)
  return true
}

export function leaveChannel(channelId: string): void {
  const current = (inFlight.get(channelId) ?? 1) - 1
  if (current <= 0) inFlight.delete(channelId)
  else inFlight.set(channelId, current)
}

export type CircuitGate = { open: true; isTrial: boolean } | { open: false; retryAt: Date; reason: string | null }

/** Whether this send may call the platform now. A trial holds the pause for `trialHoldMs`, its longest possible call. */
export async function passCircuit(db: Database, channelId: string, now: Date, trialHoldMs: number): Promise<CircuitGate> {
  const circuit = await findSendCircuit(db, channelId)
  const pausedUntil = circuit?.sendPausedUntil
  if (!pausedUntil) return { open: true, isTrial: false }
  if (pausedUntil > now) return { open: false, retryAt: pausedUntil, reason: circuit.sendPauseReason }
  if (await claimTrialSend(db, channelId, now, trialHoldMs)) return { open: true, isTrial: true }
  return { open: false, retryAt: new Date(now.getTime() + 1_000), reason: circuit.sendPauseReason }
}

/** Records a send the platform failed (no answer, a 5xx, a refused connection). Returns the pause started, if any. */
export async function noteSendFailure(db: Database, channelId: string, reason: string, now: Date): Promise<Date | undefined> {
  const failures = await recordSendFailure(db, channelId)
  const pauseMs = pauseAfterFailures(failures)
  if (pauseMs === undefined) return undefined
  const until = new Date(now.getTime() + pauseMs)
  await pauseSending(db, channelId, until, reason)
  return until
}

export async function noteThrottled(db: Database, channelId: string, until: Date): Promise<void> {
  await pauseSending(db, channelId, until, 'The platform asked Carebox to slow down (rate limit).')
}

/** Returns true when the channel's circuit was open or counting failures and is now closed. */
export function noteSendSuccess(db: Database, channelId: string): Promise<boolean> {
  return recordSendSuccess(db, channelId)
}
