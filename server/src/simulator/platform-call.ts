import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { rateLimitAnswer, serverErrorAnswer, takeFault, type Family } from './faults.js'
import { describeBody } from './media.js'
import { recordRequest, recordSend, sleep, type SimState } from './state.js'
import type { FaultEndpoint, RecordedMedia, SimAccount } from './types.js'

/**
 * The life of one call to a platform endpoint: `enterCall` names what is being called (and applies an injected
 * fault), `answer` replies and records it. Routes validate by hand rather than with schemas so that every
 * error comes back in the platform's own shape.
 */

export interface CallTarget {
  family: Family
  endpoint: FaultEndpoint
  account?: SimAccount
}

const targets = new WeakMap<FastifyRequest, CallTarget>()
/** Calls under a 'slow' or 'lost' fault: how long their answer is held once the handler has done its work, and whether it is then dropped. */
const heldAnswers = new WeakMap<FastifyRequest, { delayMs: number; drop: boolean }>()

/**
 * Returns true when an injected fault has answered (or is holding) the call: the handler must stop. A 'slow'
 * fault returns false: the handler does its work as usual, and `holdSlowAnswers` delays the bytes.
 */
export async function enterCall(state: SimState, request: FastifyRequest, reply: FastifyReply, target: CallTarget): Promise<boolean> {
  targets.set(request, target)
  const fault = takeFault(state, target.account?.kind, target.endpoint)
  if (!fault) return false
  state.log.debug({ fault, url: request.url }, 'simulator fault')
  if (fault.type === 'slow' || fault.type === 'lost') {
    heldAnswers.set(request, { delayMs: fault.delayMs ?? state.options.hangMs, drop: fault.type === 'lost' })
    return false
  }
  if (fault.type === 'timeout') {
    record(state, request, 0)
    reply.hijack()
    await sleep(state, fault.delayMs ?? state.options.hangMs)
    // No answer at all: the client's own timeout (or a dropped connection) is the failure under test.
    request.raw.socket?.destroy()
    return true
  }
  const platformAnswer =
    fault.type === '429' ? rateLimitAnswer(target.family, target.account?.kind, fault.retryAfterSeconds ?? 1) : serverErrorAnswer(target.family)
  await answer(state, request, reply, platformAnswer.status, platformAnswer.body, { headers: platformAnswer.headers })
  return true
}

/**
 * The second half of a 'slow' fault: the answer, already recorded (and its receipts scheduled), waits before it
 * is written. Registered once on the server, ahead of the platform routes.
 */
export function holdSlowAnswers(app: FastifyInstance, state: SimState): void {
  app.addHook('onSend', async (request, _reply, payload) => {
    const held = heldAnswers.get(request)
    if (held === undefined) return payload
    await sleep(state, held.delayMs)
    // 'lost': the platform did the work, and its answer never arrives: the connection drops instead.
    if (held.drop) request.raw.socket?.destroy()
    return payload
  })
}

/** Lets a handler refine the target once it knows the account (e.g. after reading the body). */
export function setCallAccount(request: FastifyRequest, account: SimAccount | undefined): void {
  const target = targets.get(request)
  if (target) target.account = account
}

export interface AnswerOptions {
  headers?: Record<string, string>
  platformMessageId?: string
  deduplicated?: boolean
  /** The file the send delivered. */
  media?: RecordedMedia
}

/** Replies and records the call, before the bytes leave, so `sends` is complete by the time the client sees the answer. */
export function answer(
  state: SimState,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  body: unknown,
  options: AnswerOptions = {},
): FastifyReply {
  record(state, request, status, options)
  if (options.headers) reply.headers(options.headers)
  return reply.code(status).send(body)
}

function record(state: SimState, request: FastifyRequest, status: number, options: AnswerOptions = {}): void {
  const target = targets.get(request)
  if (!target) return
  const path = request.url.split('?')[0] ?? request.url
  const at = new Date()
  const { account, endpoint } = target
  recordRequest(state, { kind: account?.kind, endpoint, accountExternalId: account?.externalId, method: request.method, path, status, at })
  if (target.endpoint !== 'send' || !target.account) return
  recordSend(state, {
    kind: target.account.kind,
    accountExternalId: target.account.externalId,
    method: request.method,
    path,
    query: { ...(request.query as Record<string, unknown>) },
    headers: { ...request.headers },
    // A multipart body's file parts are recorded by name, type and size; `media` says what the customer got.
    body: describeBody(request.body),
    at,
    responseStatus: status,
    ...(options.platformMessageId ? { platformMessageId: options.platformMessageId } : {}),
    ...(options.deduplicated ? { deduplicated: true } : {}),
    ...(options.media ? { media: options.media } : {}),
  })
}

/** The bearer token of a request, if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (!header) return undefined
  const match = /^Bearer\s+(.+)$/i.exec(header)
  return match?.[1]?.trim()
}

/** Query and body parameters merged (body wins), as the platforms accept either. */
export function requestParams(request: FastifyRequest): Record<string, unknown> {
  const query = (request.query ?? {}) as Record<string, unknown>
  const body = request.body && typeof request.body === 'object' && !Buffer.isBuffer(request.body) ? (request.body as Record<string, unknown>) : {}
  return { ...query, ...body }
}

/** A parameter as a string ('' when absent); the first of repeated ones. */
export function stringParam(params: Record<string, unknown>, name: string): string {
  const value = params[name]
  if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : ''
  if (value === undefined || value === null) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** Every value of a repeatable parameter, accepting both `name` and `name[]`. */
export function listParam(params: Record<string, unknown>, name: string): string[] {
  const values = [params[name], params[`${name}[]`]].flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
  return values.flatMap((value) => String(value).split(',')).filter(Boolean)
}

/** Graph and Telegram accept JSON-encoded objects inside form fields. */
export function objectParam(params: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = params[name]
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value)
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined
    } catch {
      return undefined
    }
  }
  return undefined
}
