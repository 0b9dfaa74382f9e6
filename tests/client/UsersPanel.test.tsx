import type { PendingInvite, User } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { UsersPanel } from '../../client/src/features/settings/UsersPanel'
import { useStore } from '../../client/src/store/store'
import { billing, fakeApi, sessionOf, support, userOf } from './fake-api'

const admin = userOf('admin')
const agent = userOf('agent', { teamIds: [support.id, billing.id], lastLoginAt: null })
const hostile = userOf('lead', { name: '<img src=x onerror="window.__pwned=1">' })
const inviteLink = { url: 'https://care.example.com/join/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg', expiresAt: '2099-03-09T09:00:00.000Z' }

function pending(email: string): PendingInvite {
  return { id: crypto.randomUUID(), email, role: 'agent', teamIds: [billing.id], expiresAt: '2099-03-09T09:00:00.000Z', createdAt: '2026-03-02T09:00:00.000Z' }
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/teams', [200, { items: [support, billing] }])
  api.on('GET', '/api/users', [200, { items: [admin, agent, hostile], invites: [pending('old@example.com')] }])
  useStore.getState().startSession(sessionOf('admin'))
})

describe('UsersPanel', () => {
  it('lists users with their role, teams and last sign-in, as text', async () => {
    const { container } = render(<UsersPanel />)

    const row = await screen.findByRole('row', { name: agent.name })
    expect(within(row).getByText('agent@example.com')).toBeInTheDocument()
    expect(within(row).getByText('Agent')).toBeInTheDocument()
    expect(within(row).getByText('Support, Billing')).toBeInTheDocument()
    expect(within(row).getByText('never')).toBeInTheDocument()
    expect(screen.getByText(hostile.name)).toBeInTheDocument()
    expect(container.querySelector('img')).toBeNull()
  })

  it('shows an invitation link once, with a way to copy it', async () => {
    const user = userEvent.setup()
    api.on('POST', '/api/users/invites', [200, { invite: pending('new@example.com'), link: inviteLink }])
    render(<UsersPanel />)

    await user.click(await screen.findByRole('button', { name: 'Invite someone' }))
    const form = screen.getByRole('form', { name: 'Invite someone' })
    await user.type(within(form).getByLabelText('Email'), 'new@example.com')
    await user.selectOptions(within(form).getByLabelText('Role'), 'Team lead')
    await user.click(within(form).getByLabelText('Billing'))
    await user.click(within(form).getByRole('button', { name: 'Create invite link' }))

    const notice = await screen.findByRole('region', { name: 'Invitation link for new@example.com' })
    expect(within(notice).getByText(inviteLink.url)).toBeInTheDocument()
    expect(api.requests('POST', '/api/users/invites')[0]?.body).toEqual({ email: 'new@example.com', role: 'lead', teamIds: [billing.id] })
    await user.click(within(notice).getByRole('button', { name: 'Copy' }))
    expect(await navigator.clipboard.readText()).toBe(inviteLink.url)
    expect(within(screen.getByRole('list', { name: 'Pending invitations' })).getByText('new@example.com')).toBeInTheDocument()

    await user.click(within(notice).getByRole('button', { name: 'Done' }))

    expect(screen.queryByText(inviteLink.url)).not.toBeInTheDocument()
  })

  it('withdraws a pending invitation', async () => {
    render(<UsersPanel />)
    const invite = await screen.findByRole('listitem', { name: 'old@example.com' })
    const id = useStore.getState().invites?.[0]?.id
    api.on('DELETE', `/api/users/invites/${id}`, [200, { ok: true }])

    await userEvent.click(within(invite).getByRole('button', { name: 'Withdraw' }))

    await waitFor(() => expect(screen.queryByText('old@example.com')).not.toBeInTheDocument())
    expect(api.requests('DELETE', `/api/users/invites/${id}`)).toHaveLength(1)
  })

  it('deactivates a user only once confirmed', async () => {
    api.on('POST', `/api/users/${agent.id}/deactivate`, [200, { ...agent, active: false }])
    render(<UsersPanel />)
    const row = await screen.findByRole('row', { name: agent.name })

    await userEvent.click(within(row).getByRole('button', { name: 'Deactivate' }))
    expect(api.requests('POST', `/api/users/${agent.id}/deactivate`)).toHaveLength(0)
    await userEvent.click(within(row).getByRole('button', { name: 'Yes, deactivate' }))

    expect(await within(row).findByText('Deactivated')).toBeInTheDocument()
    expect(within(row).getByRole('button', { name: 'Reactivate' })).toBeInTheDocument()
  })

  it('offers no deactivation of yourself', async () => {
    render(<UsersPanel />)

    const row = await screen.findByRole('row', { name: admin.name })

    expect(within(row).queryByRole('button', { name: 'Deactivate' })).not.toBeInTheDocument()
  })

  it('changes a user’s role and teams', async () => {
    const changed: User = { ...agent, role: 'lead', teamIds: [support.id] }
    api.on('PATCH', `/api/users/${agent.id}`, [200, changed])
    render(<UsersPanel />)
    const row = await screen.findByRole('row', { name: agent.name })

    await userEvent.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = screen.getByRole('form', { name: `Edit ${agent.name}` })
    await userEvent.selectOptions(within(form).getByLabelText('Role'), 'Team lead')
    await userEvent.click(within(form).getByLabelText('Billing'))
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }))

    expect(api.requests('PATCH', `/api/users/${agent.id}`)[0]?.body).toEqual({ role: 'lead', teamIds: [support.id] })
    expect(await within(row).findByText('Team lead')).toBeInTheDocument()
  })

  it('shows a password reset link once confirmed', async () => {
    const resetLink = { ...inviteLink, url: 'https://care.example.com/join/cmVzZXRyZXNldHJlc2V0cmVzZXRyZXNldHJlc2V0cmU' }
    api.on('POST', `/api/users/${agent.id}/password-reset`, [200, { link: resetLink }])
    render(<UsersPanel />)
    const row = await screen.findByRole('row', { name: agent.name })

    await userEvent.click(within(row).getByRole('button', { name: 'Reset password' }))
    await userEvent.click(within(row).getByRole('button', { name: 'Yes, reset' }))

    const notice = await screen.findByRole('region', { name: 'Password reset link for agent@example.com' })
    expect(within(notice).getByText(resetLink.url)).toBeInTheDocument()
  })
})
