import { authApi, channelsApi, systemApi, tokensApi, usersApi, type SystemHealth } from '@carebox/shared'
import { beforeEach, describe, expect, it } from 'vitest'
import { call } from '../../client/src/api/http'
import { useStore } from '../../client/src/store/store'
import { csrfToken, fakeApi, sessionOf, unauthorized } from './fake-api'

const id = '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a001'
let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('admin'))
})

describe('call', () => {
  it('sends the session’s CSRF token on POST, PATCH and DELETE', async () => {
    api.on('POST', `/api/users/${id}/deactivate`, [200, {}])
    api.on('PATCH', `/api/users/${id}`, [200, {}])
    api.on('DELETE', `/api/tokens/${id}`, [200, {}])

    await call(usersApi.deactivate, { params: { id } })
    await call(usersApi.update, { params: { id }, body: { role: 'lead' } })
    await call(tokensApi.revoke, { params: { id } })

    expect(api.requests('POST', `/api/users/${id}/deactivate`)[0]?.headers['x-csrf-token']).toBe(csrfToken)
    expect(api.requests('PATCH', `/api/users/${id}`)[0]?.headers['x-csrf-token']).toBe(csrfToken)
    expect(api.requests('DELETE', `/api/tokens/${id}`)[0]?.headers['x-csrf-token']).toBe(csrfToken)
  })

  it('sends no CSRF token on GET', async () => {
    api.on('GET', '/api/channels', [200, []])

    await call(channelsApi.list)

    expect(api.requests('GET', '/api/channels')[0]?.headers).not.toHaveProperty('x-csrf-token')
  })

  it('ends the session when a call answers 401', async () => {
    api.on('GET', '/api/channels', unauthorized)

    await expect(call(channelsApi.list)).rejects.toMatchObject({ code: 'unauthorized', status: 401 })

    expect(useStore.getState().sessionStatus).toBe('signedOut')
  })

  it('keeps the session when a sign-in attempt answers 401', async () => {
    api.on('POST', '/api/auth/login', unauthorized)

    await expect(call(authApi.login, { body: { email: 'a@example.com', password: 'x' } })).rejects.toMatchObject({ status: 401 })

    expect(useStore.getState().sessionStatus).toBe('signedIn')
  })

  it('answers with the body of a status the contract declares, as the health check’s 503', async () => {
    const degraded: SystemHealth = {
      status: 'degraded',
      database: { ok: false, since: '2026-03-02T12:01:03.000Z', detail: 'unreachable: connect ECONNREFUSED' },
      worker: { ok: true, detail: 'running' },
    }
    api.on('GET', '/healthz', [503, degraded])

    await expect(call(systemApi.health)).resolves.toEqual(degraded)
  })

  it('fails on a status the contract does not declare', async () => {
    api.on('GET', '/api/channels', [503, { error: { code: 'unavailable', message: 'Carebox cannot reach its database' } }])

    await expect(call(channelsApi.list)).rejects.toMatchObject({ status: 503, message: 'Carebox cannot reach its database' })
  })
})
