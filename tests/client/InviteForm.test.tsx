import type { PendingInvite, User } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { UsersPanel } from '../../client/src/features/settings/UsersPanel'
import { useStore } from '../../client/src/store/store'
import { billing, fakeApi, sessionOf, support, userOf } from './fake-api'

const admin = userOf('admin')
const agent = userOf('agent', { teamIds: [support.id, billing.id] })
const link = { url: 'https://care.example.com/join/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg', expiresAt: '2099-03-09T09:00:00.000Z' }
const confirmation = 'Go ahead anyway: they will see no conversations until they are given a team'

function pending(email: string, teamIds: string[]): PendingInvite {
  return { id: crypto.randomUUID(), email, role: 'agent', teamIds, expiresAt: '2099-03-09T09:00:00.000Z', createdAt: '2026-03-02T09:00:00.000Z' }
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/teams', [200, { items: [support, billing] }])
  api.on('GET', '/api/users', [200, { items: [admin, agent], invites: [] }])
  useStore.getState().startSession(sessionOf('admin'))
})

async function openInviteForm(user: ReturnType<typeof userEvent.setup>, email: string) {
  render(<UsersPanel />)
  await user.click(await screen.findByRole('button', { name: 'Invite someone' }))
  const form = screen.getByRole('form', { name: 'Invite someone' })
  await user.type(within(form).getByLabelText('Email'), email)
  return form
}

describe('InviteForm', () => {
  it('invites an agent with no team only once the admin confirms they will see no conversations', async () => {
    const user = userEvent.setup()
    api.on('POST', '/api/users/invites', [200, { invite: pending('lonely@example.com', []), link }])
    const form = await openInviteForm(user, 'lonely@example.com')

    await user.click(within(form).getByRole('button', { name: 'Create invite link' }))

    expect(within(form).getByRole('alert')).toHaveTextContent('Choose at least one team, or confirm that they will see no conversations.')
    expect(api.requests('POST', '/api/users/invites')).toHaveLength(0)

    await user.click(within(form).getByLabelText(confirmation))
    await user.click(within(form).getByRole('button', { name: 'Create invite link' }))

    expect(await screen.findByRole('region', { name: 'Invitation link for lonely@example.com' })).toBeInTheDocument()
    expect(api.requests('POST', '/api/users/invites')[0]?.body).toEqual({ email: 'lonely@example.com', role: 'agent', teamIds: [], confirmNoTeam: true })
    expect(within(screen.getByRole('list', { name: 'Pending invitations' })).getByText(/no team: will see no conversations/)).toBeInTheDocument()
  })

  it('asks nothing once a team is chosen, nor for an admin, who sees every team', async () => {
    const user = userEvent.setup()
    api.on('POST', '/api/users/invites', [200, { invite: pending('teamed@example.com', [billing.id]), link }])
    const form = await openInviteForm(user, 'teamed@example.com')
    expect(within(form).getByLabelText(confirmation)).toBeInTheDocument()

    await user.selectOptions(within(form).getByLabelText('Role'), 'Admin')
    expect(within(form).queryByLabelText(confirmation)).not.toBeInTheDocument()
    await user.selectOptions(within(form).getByLabelText('Role'), 'Agent')
    await user.click(within(form).getByLabelText('Billing'))
    expect(within(form).queryByLabelText(confirmation)).not.toBeInTheDocument()
    await user.click(within(form).getByRole('button', { name: 'Create invite link' }))

    await screen.findByRole('region', { name: 'Invitation link for teamed@example.com' })
    expect(api.requests('POST', '/api/users/invites')[0]?.body).toEqual({ email: 'teamed@example.com', role: 'agent', teamIds: [billing.id] })
  })

  it('says the invitation was emailed, and keeps the link one click away', async () => {
    const user = userEvent.setup()
    api.on('POST', '/api/users/invites', [200, { invite: pending('mailed@example.com', [support.id]), link: { ...link, emailedTo: 'mailed@example.com' } }])
    const form = await openInviteForm(user, 'mailed@example.com')
    await user.click(within(form).getByLabelText('Support'))

    await user.click(within(form).getByRole('button', { name: 'Create invite link' }))

    const notice = await screen.findByRole('region', { name: 'Invitation link for mailed@example.com' })
    expect(within(notice).getByText(/Emailed to mailed@example.com\./)).toBeInTheDocument()
    expect(within(notice).getByText(link.url)).not.toBeVisible()
    await user.click(within(notice).getByText('Show the link, to pass it on yourself if the email does not arrive'))
    expect(within(notice).getByText(link.url)).toBeVisible()
  })

  it('shows the server’s refusal in words', async () => {
    const user = userEvent.setup()
    api.on('POST', '/api/users/invites', [409, { error: { code: 'conflict', message: 'Someone with this email has an account already.' } }])
    const form = await openInviteForm(user, 'agent@example.com')
    await user.click(within(form).getByLabelText('Support'))

    await user.click(within(form).getByRole('button', { name: 'Create invite link' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent('Someone with this email has an account already.')
  })
})

describe('UserEditForm', () => {
  it('asks before taking an agent’s last team away', async () => {
    const user = userEvent.setup()
    const changed: User = { ...agent, teamIds: [] }
    api.on('PATCH', `/api/users/${agent.id}`, [200, changed])
    render(<UsersPanel />)
    const row = await screen.findByRole('row', { name: agent.name })
    await user.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = screen.getByRole('form', { name: `Edit ${agent.name}` })
    await user.click(within(form).getByLabelText('Support'))
    await user.click(within(form).getByLabelText('Billing'))

    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(within(form).getByRole('alert')).toHaveTextContent('Choose at least one team, or confirm that they will see no conversations.')
    expect(api.requests('PATCH', `/api/users/${agent.id}`)).toHaveLength(0)

    await user.click(within(form).getByLabelText(confirmation))
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(api.requests('PATCH', `/api/users/${agent.id}`)[0]?.body).toEqual({ role: 'agent', teamIds: [], confirmNoTeam: true })
    expect(await within(row).findByText('None: sees no conversations')).toBeInTheDocument()
  })
})
