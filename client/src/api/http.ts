import { authApi, csrfHeader, type ErrorCode, type RouteContract } from '@carebox/shared'
import type { Static, TSchema } from '@sinclair/typebox'

type StaticOf<S> = S extends TSchema ? Static<S> : never

type Part<C extends RouteContract, K extends string> = K extends keyof C['schema'] ? C['schema'][K] : undefined

/** What a call needs: only the parts the contract declares. */
export type CallInput<C extends RouteContract> = (Part<C, 'params'> extends TSchema ? { params: StaticOf<Part<C, 'params'>> } : { params?: never }) &
  (Part<C, 'querystring'> extends TSchema ? { query?: StaticOf<Part<C, 'querystring'>> } : { query?: never }) &
  (Part<C, 'body'> extends TSchema ? { body: StaticOf<Part<C, 'body'>> } : { body?: never })

type Responses<C extends RouteContract> = C['schema']['response']

/**
 * What a call resolves with: the 200 body, or the body of another status the contract declares (the health check's
 * 503 carries the same report as its 200).
 */
export type CallOutput<C extends RouteContract> = StaticOf<Responses<C>[keyof Responses<C> & number]>

/** Whether the contract gives `status` a body of its own: then it is an answer to read, not a failure. */
function hasDeclaredBody(contract: RouteContract, status: number): boolean {
  return Object.hasOwn(contract.schema.response, status)
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

interface HttpHooks {
  /** The signed-in session's CSRF token, sent back on every state-changing request. */
  csrfToken(): string | null
  /** A call was refused for want of a valid session: the console goes back to the sign-in page. */
  onUnauthorized(): void
}

let hooks: HttpHooks = { csrfToken: () => null, onUnauthorized: () => {} }

/** Wired once by the store, so this module needs no import of it (which would be a cycle). */
export function configureHttp(next: HttpHooks): void {
  hooks = next
}

/** Calls whose 401 means "wrong credentials or link", not "your session ended". */
const signInCalls: readonly RouteContract[] = [authApi.login, authApi.link, authApi.acceptLink]

function headersFor(contract: RouteContract, contentType: string | null): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (contentType) headers['content-type'] = contentType
  const token = contract.method === 'GET' ? null : hooks.csrfToken()
  if (token) headers[csrfHeader] = token
  return headers
}

function buildUrl(template: string, params: Record<string, string> = {}, query: Record<string, unknown> = {}): string {
  const path = template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`)
    return encodeURIComponent(value)
  })
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item))
  }
  const qs = search.toString()
  return qs ? `${path}?${qs}` : path
}

/** The only way the console talks to the API: a shared contract in, its typed response out. */
export async function call<C extends RouteContract>(
  contract: C,
  ...args: Partial<CallInput<C>> extends CallInput<C> ? [CallInput<C>?] : [CallInput<C>]
): Promise<CallOutput<C>> {
  const input = (args[0] ?? {}) as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown }
  const url = buildUrl(contract.url, input.params, input.query)
  const hasBody = input.body !== undefined
  return send(contract, url, {
    headers: headersFor(contract, hasBody ? 'application/json' : null),
    body: hasBody ? JSON.stringify(input.body) : undefined,
  })
}

/**
 * A call whose body is a file's raw bytes (`application/octet-stream`), not JSON: the contract's params and query
 * say where it goes and what it is. Answers and fails as `call` does.
 */
export async function upload<C extends RouteContract>(
  contract: C,
  input: Omit<CallInput<C>, 'body'>,
  bytes: Blob,
  { signal }: { signal?: AbortSignal } = {},
): Promise<CallOutput<C>> {
  const { params, query } = input as { params?: Record<string, string>; query?: Record<string, unknown> }
  return send(contract, buildUrl(contract.url, params, query), { headers: headersFor(contract, 'application/octet-stream'), body: bytes, signal })
}

async function send<C extends RouteContract>(contract: C, url: string, init: Pick<RequestInit, 'headers' | 'body' | 'signal'>): Promise<CallOutput<C>> {
  let response: Response
  try {
    response = await fetch(url, { method: contract.method, credentials: 'same-origin', ...init })
  } catch {
    throw new ApiError('network', 'Carebox is unreachable. Check your connection.', 0)
  }
  const text = await response.text()
  if (!response.ok && !hasDeclaredBody(contract, response.status)) {
    const error = errorIn(text)
    if (response.status === 401 && !signInCalls.includes(contract)) hooks.onUnauthorized()
    throw new ApiError(error?.code ?? 'internal', error?.message ?? `Request failed (${response.status})`, response.status)
  }
  return (text ? JSON.parse(text) : undefined) as CallOutput<C>
}

/** The `{ error: { code, message } }` of a refusal; nothing when a proxy in front answered with a page of its own. */
function errorIn(text: string): { code?: ErrorCode; message?: string } | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: ErrorCode; message?: string } } | undefined)?.error
  } catch {
    return undefined
  }
}
