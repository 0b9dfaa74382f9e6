import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../client/src/App'
import { useStore } from '../../client/src/store/store'
import { csrfToken, fakeApi, sessionOf, unauthorized } from './fake-api'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/auth/me', [200, sessionOf('admin')])
})

describe('session', () => {
  it('returns to the sign-in page, keeping the URL, when a later call answers 401', async () => {
    api.on('GET', '/api/system', unauthorized)
    render(<App />)
    await screen.findByRole('heading', { level: 1, name: 'Inbox' })

    await userEvent.click(screen.getByRole('link', { name: /Settings/ }))
    await userEvent.click(await screen.findByRole('link', { name: 'System' }))

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument()
    expect(window.location.pathname).toBe('/settings/system')
    expect(useStore.getState().session).toBeNull()
  })

  it('forgets what the previous user loaded when the session ends', async () => {
    api.on('GET', '/api/teams', [200, { items: [{ id: crypto.randomUUID(), name: 'Secret team', createdAt: '2026-03-01T09:00:00.000Z' }] }])
    await useStore.getState().loadSession()
    await useStore.getState().loadTeams()

    useStore.getState().endSession()

    expect(useStore.getState().teams).toBeNull()
    expect(useStore.getState().sessionStatus).toBe('signedOut')
  })

  it('signs out with the CSRF token and shows the sign-in page', async () => {
    api.on('POST', '/api/auth/logout', [200, { ok: true }])
    render(<App />)

    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }))

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument()
    expect(api.requests('POST', '/api/auth/logout')[0]?.headers['x-csrf-token']).toBe(csrfToken)
    expect(window.location.pathname).toBe('/login')
  })

  it('shows the sign-in page when there is no session', async () => {
    api.on('GET', '/api/auth/me', unauthorized)

    render(<App />)

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument()
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument()
  })
})
