import { fbtraceId } from './ids.js'
import type { SimState } from './state.js'
import type { FaultEndpoint, FaultSpec, SimKind } from './types.js'

/** The five API families the simulator speaks; each answers errors in its own shape. */
export type Family = 'meta' | 'telegram' | 'x' | 'mastodon' | 'bluesky'

export function familyOf(kind: SimKind): Family {
  return kind === 'facebook' || kind === 'instagram' || kind === 'whatsapp' ? 'meta' : kind
}

export function addFault(state: SimState, fault: FaultSpec): void {
  if (!(fault.count > 0)) throw new Error('A fault needs a positive count')
  if (fault.delayMs !== undefined && !(fault.delayMs >= 0)) throw new Error('A fault delayMs must be zero or more')
  state.faults.push({ ...fault })
}

export function clearFaults(state: SimState): void {
  state.faults.length = 0
}

/** Consumes one use of the first fault matching this call, if any. */
export function takeFault(state: SimState, kind: SimKind | undefined, endpoint: FaultEndpoint): FaultSpec | undefined {
  const index = state.faults.findIndex((fault) => (!fault.kind || fault.kind === kind) && (!fault.endpoint || fault.endpoint === endpoint))
  if (index < 0) return undefined
  const fault = state.faults[index]!
  fault.count -= 1
  if (fault.count <= 0) state.faults.splice(index, 1)
  return fault
}

export interface PlatformAnswer {
  status: number
  headers: Record<string, string>
  body: unknown
}

/** A 429 in the platform's own form, carrying when to retry the way that platform says it. */
export function rateLimitAnswer(family: Family, kind: SimKind | undefined, retryAfterSeconds: number, now = Date.now()): PlatformAnswer {
  const resetEpoch = Math.ceil(now / 1000) + retryAfterSeconds
  switch (family) {
    case 'meta': {
      // Meta has no Retry-After of its own: it names the code (613; WhatsApp throughput 130429) and, for
      // business use cases, estimated_time_to_regain_access in minutes. Retry-After is added for generic clients.
      const isWhatsApp = kind === 'whatsapp'
      const code = isWhatsApp ? 130429 : 613
      const message = isWhatsApp ? '(#130429) Rate limit hit' : '(#613) Calls to this api have exceeded the rate limit.'
      return {
        status: 429,
        headers: {
          'retry-after': String(retryAfterSeconds),
          'x-business-use-case-usage': JSON.stringify({
            sim: [
              {
                type: isWhatsApp ? 'whatsapp' : 'messenger',
                call_count: 100,
                total_cputime: 30,
                total_time: 40,
                estimated_time_to_regain_access: Math.ceil(retryAfterSeconds / 60),
              },
            ],
          }),
        },
        body: {
          error: {
            message,
            type: 'OAuthException',
            code,
            ...(isWhatsApp ? { error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' } } : {}),
            fbtrace_id: fbtraceId(),
          },
        },
      }
    }
    case 'telegram':
      return {
        status: 429,
        headers: {},
        body: {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${retryAfterSeconds}`,
          parameters: { retry_after: retryAfterSeconds },
        },
      }
    case 'x':
      return {
        status: 429,
        headers: { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(resetEpoch) },
        body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
      }
    case 'mastodon':
      return {
        status: 429,
        headers: {
          'retry-after': String(retryAfterSeconds),
          'x-ratelimit-limit': '300',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': new Date(resetEpoch * 1000).toISOString(),
        },
        body: { error: 'Too many requests' },
      }
    case 'bluesky':
      return {
        status: 429,
        headers: {
          'retry-after': String(retryAfterSeconds),
          'ratelimit-limit': '3000',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(resetEpoch),
          'ratelimit-policy': '3000;w=300',
        },
        body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
      }
  }
}

/** A transient 5xx in the platform's own form. */
export function serverErrorAnswer(family: Family): PlatformAnswer {
  switch (family) {
    case 'meta':
      return {
        status: 500,
        headers: {},
        body: {
          error: {
            message: 'An unexpected error has occurred. Please retry your request later.',
            type: 'OAuthException',
            is_transient: true,
            code: 2,
            fbtrace_id: fbtraceId(),
          },
        },
      }
    case 'telegram':
      return { status: 500, headers: {}, body: { ok: false, error_code: 500, description: 'Internal Server Error' } }
    case 'x':
      return { status: 500, headers: {}, body: { title: 'Internal Server Error', detail: 'Internal Server Error', type: 'about:blank', status: 500 } }
    case 'mastodon':
      return { status: 500, headers: {}, body: { error: "We're sorry, but something went wrong on our end." } }
    case 'bluesky':
      return { status: 500, headers: {}, body: { error: 'InternalServerError', message: 'Internal Server Error' } }
  }
}
