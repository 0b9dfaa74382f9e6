import type { LinkInfo } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../client/src/App'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf, unauthorized } from './fake-api'

const token = 'aW52aXRlaW52aXRlaW52aXRlaW52aXRlaW52aXRlaW5'
const linkUrl = `/api/auth/links/${token}`

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/auth/me', unauthorized)
})

function openLink(info: LinkInfo | null) {
  api.on('GET', linkUrl, info ? [200, info] : [404, { error: { code: 'not_found', message: 'No such link' } }])
  window.history.replaceState(null, '', `/join/${token}`)
  useStore.getState().syncPath(`/join/${token}`)
  render(<App />)
}

describe('LinkPage', () => {
  it('asks an invited person for a name and password, then signs them in', async () => {
    api.on('POST', linkUrl, [200, sessionOf('lead')])
    openLink({ kind: 'invite', email: 'lead@example.com', role: 'lead', expiresAt: '2099-01-01T00:00:00.000Z' })

    expect(await screen.findByText("You're invited as Team lead (lead@example.com).")).toBeInTheDocument()
    await userEvent.type(screen.getByLabelText('Your name'), 'Lee Lead')
    await userEvent.type(screen.getByLabelText('Password'), 'a long enough secret')
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'a long enough secret')
    await userEvent.click(screen.getByRole('button', { name: 'Join' }))

    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument()
    expect(api.requests('POST', linkUrl)[0]?.body).toEqual({ name: 'Lee Lead', password: 'a long enough secret' })
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByText('Lee Lead')).toBeInTheDocument()
    expect(window.location.pathname).toBe('/')
  })

  it('asks only for a new password on a reset link', async () => {
    api.on('POST', linkUrl, [200, sessionOf('agent')])
    openLink({ kind: 'reset', email: 'agent@example.com', role: 'agent', expiresAt: '2099-01-01T00:00:00.000Z' })

    expect(await screen.findByRole('heading', { name: 'Choose a new password' })).toBeInTheDocument()
    expect(screen.queryByLabelText('Your name')).not.toBeInTheDocument()
    await userEvent.type(screen.getByLabelText('New password'), 'a long enough secret')
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'a long enough secret')
    await userEvent.click(screen.getByRole('button', { name: 'Save password' }))

    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument()
    expect(api.requests('POST', linkUrl)[0]?.body).toEqual({ password: 'a long enough secret' })
  })

  it('sets up the first admin', async () => {
    openLink({ kind: 'setup', email: 'owner@example.com', role: 'admin', expiresAt: '2099-01-01T00:00:00.000Z' })

    expect(await screen.findByRole('heading', { name: 'Create the first admin' })).toBeInTheDocument()
    expect(screen.getByLabelText('Your name')).toHaveAttribute('autocomplete', 'name')
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'new-password')
  })

  it('checks the two passwords match before sending them', async () => {
    openLink({ kind: 'reset', email: 'agent@example.com', role: 'agent', expiresAt: '2099-01-01T00:00:00.000Z' })

    await userEvent.type(await screen.findByLabelText('New password'), 'a long enough secret')
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'a long enough secreT')
    await userEvent.click(screen.getByRole('button', { name: 'Save password' }))

    expect(screen.getByRole('alert')).toHaveTextContent('The two passwords don’t match.')
    expect(api.requests('POST', linkUrl)).toHaveLength(0)
  })

  it('says plainly when the link is unknown or expired', async () => {
    openLink(null)

    expect(await screen.findByRole('alert')).toHaveTextContent('This link is unknown, already used or expired. Ask an admin for a new one.')
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument()
  })

  it('says so when the link was used meanwhile', async () => {
    api.on('POST', linkUrl, [404, { error: { code: 'not_found', message: 'No such link' } }])
    openLink({ kind: 'reset', email: 'agent@example.com', role: 'agent', expiresAt: '2099-01-01T00:00:00.000Z' })

    await userEvent.type(await screen.findByLabelText('New password'), 'a long enough secret')
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'a long enough secret')
    await userEvent.click(screen.getByRole('button', { name: 'Save password' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('This link is unknown, already used or expired.')
    expect(useStore.getState().sessionStatus).toBe('signedOut')
  })
})
