import type { FastifyInstance, FastifyRequest } from 'fastify'
import { graphError, graphToken, invalidToken, metaKinds, missingToken, unknownObject, type GraphRoute } from './graph.js'
import { fbtraceId } from './ids.js'
import { answer, enterCall } from './platform-call.js'
import { findAccountBySecret, type SimState } from './state.js'

/**
 * Meta's Conversions API for Business Messaging as Carebox calls it: `POST /{dataset_id}/events` with a token of one
 * of the simulator's Meta accounts. Events are checked as Meta documents them (integrations spec §4.5) and kept in
 * `sim.conversionEvents`; a malformed one answers 400 in Graph's error shape, naming what is wrong, and nothing of
 * that request is kept (Meta takes a batch whole or not at all). Faults with `endpoint: 'conversions'` hit it.
 * https://developers.facebook.com/docs/marketing-api/conversions-api/business-messaging
 */

/** One event as received, with the dataset and the account whose token sent it. */
export interface RecordedConversion {
  datasetId: string
  accountExternalId: string
  event: Record<string, unknown>
  at: Date
}

const recorded = new WeakMap<SimState, RecordedConversion[]>()

/** The events the simulator accepted, oldest first (a live array). */
export function conversionEventsOf(state: SimState): RecordedConversion[] {
  let events = recorded.get(state)
  if (!events) recorded.set(state, (events = []))
  return events
}

/** Meta keeps events up to 7 days old; newer than now (beyond clock skew) is refused too. */
const maxEventAgeSeconds = 7 * 86_400
const maxSkewSeconds = 60

const channelUserData: Record<string, string[]> = {
  messenger: ['page_id', 'page_scoped_user_id'],
  whatsapp: ['whatsapp_business_account_id', 'ctwa_clid'],
  instagram: ['ig_account_id', 'ig_sid'],
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** What is wrong with one event, in the words Meta's `error_user_title` / `error_user_msg` use, or undefined. */
function eventProblem(event: unknown, nowSeconds: number): { title: string; message: string; subcode?: number } | undefined {
  if (!isRecord(event)) return { title: 'Invalid event', message: 'Each entry of data must be an event object.' }
  const name = event.event_name
  if (typeof name !== 'string' || name === '') return { title: 'Missing event name', message: 'The event_name parameter is required.' }
  if (name === 'Lead') {
    // What a BSP reports Meta answering for business messaging leads (spec §4.5): LeadSubmitted is the name taken.
    return { title: 'Unsupported event name', message: 'Lead is not supported for business_messaging events: use LeadSubmitted.', subcode: 2804066 }
  }
  const time = event.event_time
  if (typeof time !== 'number' || !Number.isInteger(time)) return { title: 'Invalid event time', message: 'event_time must be a Unix timestamp in seconds.' }
  if (time > nowSeconds + maxSkewSeconds) return { title: 'Event time in the future', message: 'event_time cannot be in the future.' }
  if (time < nowSeconds - maxEventAgeSeconds) return { title: 'Event too old', message: 'event_time must be within the last 7 days.' }
  if (event.action_source !== 'business_messaging') {
    return { title: 'Invalid action source', message: 'action_source must be business_messaging for messaging events.' }
  }
  const channel = event.messaging_channel
  const keys = typeof channel === 'string' ? channelUserData[channel] : undefined
  if (!keys) return { title: 'Invalid messaging channel', message: 'messaging_channel must be messenger, whatsapp or instagram.' }
  const userData = isRecord(event.user_data) ? event.user_data : {}
  const missing = keys.filter((key) => typeof userData[key] !== 'string' || userData[key] === '')
  if (missing.length > 0) return { title: 'Missing user data', message: `user_data needs ${missing.join(' and ')} for ${String(channel)} events.` }
  if (name === 'Purchase') {
    const custom = isRecord(event.custom_data) ? event.custom_data : {}
    if (typeof custom.currency !== 'string' || !/^[A-Za-z]{3}$/.test(custom.currency)) {
      return { title: 'Missing currency', message: 'Purchase events need custom_data.currency, an ISO 4217 code.' }
    }
    if (typeof custom.value !== 'number' || !Number.isFinite(custom.value) || custom.value < 0) {
      return { title: 'Missing value', message: 'Purchase events need custom_data.value, a number.' }
    }
  }
  return undefined
}

function invalidParameter(problem: { title: string; message: string; subcode?: number }) {
  return graphError(100, 'Invalid parameter', {
    ...(problem.subcode !== undefined && { error_subcode: problem.subcode }),
    is_transient: false,
    error_user_title: problem.title,
    error_user_msg: problem.message,
  })
}

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  return isRecord(request.body) ? request.body : {}
}

export function conversionsRoutes(state: SimState) {
  return async function (app: FastifyInstance) {
    app.post<GraphRoute>('/graph/:version/:id/events', async (request, reply) => {
      const token = graphToken(request)
      const account = findAccountBySecret(state, metaKinds, 'accessToken', token)
      if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'conversions', account })) return reply
      if (!token) return answer(state, request, reply, 400, missingToken())
      if (!account) return answer(state, request, reply, 401, invalidToken())
      const datasetId = request.params.id
      if (!/^[0-9]{1,30}$/.test(datasetId)) return answer(state, request, reply, 400, unknownObject(datasetId, 'post'))
      const data = bodyOf(request).data
      if (!Array.isArray(data) || data.length === 0 || data.length > 1000) {
        return answer(state, request, reply, 400, invalidParameter({ title: 'Missing events', message: 'data must be an array of 1 to 1,000 events.' }))
      }
      const nowSeconds = Math.floor(Date.now() / 1000)
      for (const [index, event] of data.entries()) {
        const problem = eventProblem(event, nowSeconds)
        if (problem) return answer(state, request, reply, 400, invalidParameter({ ...problem, message: `Event ${index}: ${problem.message}` }))
      }
      const at = new Date()
      for (const event of data as Record<string, unknown>[]) {
        conversionEventsOf(state).push({ datasetId, accountExternalId: account.externalId, event: structuredClone(event), at })
      }
      return answer(state, request, reply, 200, { events_received: data.length, messages: [], fbtrace_id: fbtraceId() })
    })

    app.get('/_sim/conversions', async () => ({ items: conversionEventsOf(state) }))
  }
}
