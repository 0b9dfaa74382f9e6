import type { Role, Session, Team, User } from '@carebox/shared'
import { vi } from 'vitest'

type Answer = [status: number, body: unknown]
type Handler = (request: { url: string; init: RequestInit; body: unknown }) => Answer | Promise<Answer>

interface Route {
  method: string
  url: string
  handler: Handler
}

/**
 * The network, stubbed below api/http.ts (the console's only caller of fetch). Routes match method and exact URL
 * (with its query string); the one registered last wins, so a test can change an answer midway. Anything else
 * answers 404.
 */
export function fakeApi() {
  const routes: Route[] = []
  const fetchMock = vi.fn<typeof fetch>(async (input, init = {}) => {
    const url = String(input)
    const method = init.method ?? 'GET'
    const route = routes.find((r) => r.method === method && r.url === url)
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined
    const [status, payload] = route ? await route.handler({ url, init, body }) : [404, { error: { code: 'not_found', message: `unexpected ${method} ${url}` } }]
    return new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } })
  })
  vi.stubGlobal('fetch', fetchMock)

  return {
    fetchMock,
    on(method: string, url: string, answer: Answer | Handler) {
      routes.unshift({ method, url, handler: typeof answer === 'function' ? answer : () => answer })
    },
    /** The requests made to `method url`, each as its parsed JSON body and headers. */
    requests(method: string, url: string) {
      return fetchMock.mock.calls
        .filter(([input, init]) => String(input) === url && (init?.method ?? 'GET') === method)
        .map(([, init]) => ({
          body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
          headers: (init?.headers ?? {}) as Record<string, string>,
        }))
    },
  }
}

export const unauthorized: Answer = [401, { error: { code: 'unauthorized', message: 'Sign in first' } }]

export const support: Team = { id: '7a0c6a43-59a4-4f62-9a0e-1f3a2c5b0001', name: 'Support', createdAt: '2026-03-01T09:00:00.000Z' }
export const billing: Team = { id: '7a0c6a43-59a4-4f62-9a0e-1f3a2c5b0002', name: 'Billing', createdAt: '2026-03-01T09:00:00.000Z' }

const userIds: Record<Role, string> = {
  agent: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000001',
  lead: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000002',
  admin: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000003',
}
const names: Record<Role, string> = { agent: 'Maya Agent', lead: 'Lee Lead', admin: 'Ada Admin' }

export function userOf(role: Role, overrides: Partial<User> = {}): User {
  return {
    id: userIds[role],
    email: `${role}@example.com`,
    name: names[role],
    role,
    teamIds: [support.id],
    active: true,
    createdAt: '2026-03-01T09:00:00.000Z',
    lastLoginAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  }
}

export const csrfToken = 'csrf-token-from-session'

export function sessionOf(role: Role): Session {
  return { user: userOf(role), teams: [support], csrfToken }
}
