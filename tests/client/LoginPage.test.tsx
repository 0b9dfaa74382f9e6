import type { Session } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../client/src/App'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf, unauthorized } from './fake-api'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/auth/me', unauthorized)
})

async function signIn(email: string, password: string) {
  await userEvent.type(await screen.findByLabelText('Email'), email)
  await userEvent.type(screen.getByLabelText('Password'), password)
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
}

describe('LoginPage', () => {
  it('signs in and shows the console when the password is right', async () => {
    api.on('POST', '/api/auth/login', [200, sessionOf('agent')])
    render(<App />)

    await signIn('agent@example.com', 'correct horse battery')

    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument()
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByText('Maya Agent')).toBeInTheDocument()
    expect(api.requests('POST', '/api/auth/login')[0]?.body).toEqual({ email: 'agent@example.com', password: 'correct horse battery' })
    expect(useStore.getState().sessionStatus).toBe('signedIn')
  })

  it('says the email or password is wrong when the server answers 401', async () => {
    api.on('POST', '/api/auth/login', [401, { error: { code: 'unauthorized', message: 'Invalid credentials' } }])
    render(<App />)

    await signIn('agent@example.com', 'wrong password')

    expect(await screen.findByRole('alert')).toHaveTextContent('Email or password is wrong.')
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled()
    expect(useStore.getState().sessionStatus).toBe('signedOut')
  })

  it('shows the server’s message when sign-in is rate limited', async () => {
    api.on('POST', '/api/auth/login', [429, { error: { code: 'rate_limited', message: 'Too many attempts. Try again in 5 minutes.' } }])
    render(<App />)

    await signIn('agent@example.com', 'guess')

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 5 minutes.')
  })

  it('disables the button while signing in', async () => {
    let answer: (value: [number, Session]) => void = () => {}
    api.on('POST', '/api/auth/login', () => new Promise((resolve) => (answer = resolve)))
    render(<App />)

    await signIn('agent@example.com', 'correct horse battery')

    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled()
    answer([200, sessionOf('agent')])
    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument()
  })

  it('shows the sign-in page on any path when signed out, and returns there once signed in', async () => {
    api.on('POST', '/api/auth/login', [200, sessionOf('admin')])
    api.on('GET', '/api/teams', [200, { items: [] }])
    api.on('GET', '/api/users', [200, { items: [], invites: [] }])
    window.history.replaceState(null, '', '/settings/users')
    useStore.getState().syncPath('/settings/users')
    render(<App />)

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument()
    await signIn('admin@example.com', 'correct horse battery')

    expect(await screen.findByRole('heading', { level: 2, name: 'Users' })).toBeInTheDocument()
    expect(window.location.pathname).toBe('/settings/users')
  })

  it('leaves /login for the inbox once signed in', async () => {
    api.on('POST', '/api/auth/login', [200, sessionOf('agent')])
    window.history.replaceState(null, '', '/login')
    useStore.getState().syncPath('/login')
    render(<App />)

    await signIn('agent@example.com', 'correct horse battery')

    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument()
    expect(window.location.pathname).toBe('/')
  })
})
