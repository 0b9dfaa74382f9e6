import type { AuditEntry, AuditFacets } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { AuditPanel } from '../../client/src/features/settings/AuditPanel'
import { useStore } from '../../client/src/store/store'
import { fakeApi, userOf } from './fake-api'

const admin = userOf('admin')
const tokenId = '6b1c2d3e-0000-4000-8000-00000000a001'
const channelId = '6ba54a02-0000-4000-8000-00000000c001'
const conversationId = '9c1e0b7a-0000-4000-8000-00000000c002'

function entry(action: string, actionLabel: string, at: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: crypto.randomUUID(),
    at,
    action,
    actionLabel,
    actor: { kind: 'user', id: admin.id, name: admin.name, email: admin.email },
    targetType: 'channel',
    targetId: channelId,
    targetName: 'Acme on Telegram',
    details: {},
    ip: '203.0.113.7',
    userAgent: 'Firefox',
    ...overrides,
  }
}

const channelChanged = entry('channel.updated', 'Channel settings changed', '2026-03-02T10:00:00.000Z')
const resolved = entry('conversation.status_changed', 'Conversation status changed', '2026-03-02T09:30:00.000Z', {
  targetType: 'conversation',
  targetId: conversationId,
  targetName: '<b>Ana</b> Souza',
})
const failedLogin = entry('auth.login_failed', 'Sign-in failed', '2026-03-02T09:00:00.000Z', {
  actor: { kind: 'system' },
  targetType: null,
  targetId: null,
  targetName: null,
})
const deletedTeam = entry('team.created', 'Team created', '2026-03-01T09:00:00.000Z', {
  actor: { kind: 'token', id: tokenId, name: 'CRM sync' },
  targetType: 'team',
  targetId: '7a0c6a43-0000-4000-8000-00000000d001',
  targetName: null,
})

const facets: AuditFacets = {
  actors: [
    { kind: 'user', id: admin.id, name: admin.name, email: admin.email },
    { kind: 'token', id: tokenId, name: 'CRM sync' },
  ],
  actions: [
    { action: 'channel.updated', label: 'Channel settings changed' },
    { action: 'auth.login_failed', label: 'Sign-in failed' },
    { action: 'team.created', label: 'Team created' },
  ],
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/audit', [200, { items: [channelChanged, resolved, failedLogin], nextCursor: failedLogin.id }])
  api.on('GET', '/api/audit/facets', [200, facets])
})

const rows = async () =>
  within(await screen.findByRole('table', { name: 'Audit log' }))
    .getAllByRole('row')
    .slice(1)

describe('AuditPanel', () => {
  it('says who did what to which named thing, in words, keeping the code and the id at hand', async () => {
    render(<AuditPanel />)

    const [changed, status, login] = await rows()
    expect(changed).toHaveTextContent('Ada Admin')
    expect(changed).toHaveTextContent('Channel settings changed')
    expect(changed).toHaveTextContent('Channel Acme on Telegram')
    expect(within(changed!).getByText('Channel settings changed')).toHaveAttribute('title', 'channel.updated')
    expect(within(changed!).getByText('Acme on Telegram').closest('[title]')).toHaveAttribute('title', `channel ${channelId}`)
    // A customer's name is their own text: shown as typed, never as markup.
    const link = within(status!).getByRole('link', { name: '<b>Ana</b> Souza' })
    expect(link).toHaveAttribute('href', `/inbox/${conversationId}`)
    expect(status).toHaveTextContent('Conversation with <b>Ana</b> Souza')
    expect(login).toHaveTextContent('No one signed in')
    expect(login).toHaveTextContent('Sign-in failed')
  })

  it('opens a conversation named in the log in the inbox', async () => {
    render(<AuditPanel />)
    const [, status] = await rows()

    await userEvent.click(within(status!).getByRole('link', { name: '<b>Ana</b> Souza' }))

    expect(useStore.getState().path).toBe(`/inbox/${conversationId}`)
  })

  it('says when a target no longer exists', async () => {
    api.on('GET', '/api/audit', [200, { items: [deletedTeam], nextCursor: null }])
    render(<AuditPanel />)

    const [row] = await rows()
    expect(row).toHaveTextContent('API token CRM sync')
    expect(row).toHaveTextContent('Team (no longer exists)')
  })

  it('filters by person, action, words and days, and says when nothing matches', async () => {
    const from = new Date(2026, 2, 1).toISOString()
    const to = new Date(2026, 2, 3).toISOString()
    const url = `/api/audit?actor=${tokenId}&action=team.created&q=returns&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`
    api.on('GET', url.replace('q=returns', 'q=nothing+like+it'), [200, { items: [], nextCursor: null }])
    api.on('GET', url, [200, { items: [deletedTeam], nextCursor: null }])
    render(<AuditPanel />)
    await rows()
    const form = screen.getByRole('form', { name: 'Filter the audit log' })

    await userEvent.selectOptions(within(form).getByLabelText('Who'), 'CRM sync')
    await userEvent.selectOptions(within(form).getByLabelText('Action'), 'Team created')
    await userEvent.type(within(form).getByLabelText('Find'), 'returns')
    await userEvent.type(within(form).getByLabelText('From'), '2026-03-01')
    await userEvent.type(within(form).getByLabelText('To'), '2026-03-02')
    await userEvent.click(within(form).getByRole('button', { name: 'Filter' }))

    expect(await screen.findByText('Team created', { selector: 'td' })).toBeInTheDocument()
    expect(await rows()).toHaveLength(1)

    await userEvent.clear(within(form).getByLabelText('Find'))
    await userEvent.type(within(form).getByLabelText('Find'), 'nothing like it')
    await userEvent.click(within(form).getByRole('button', { name: 'Filter' }))

    expect(await screen.findByText('Nothing recorded that matches these filters.')).toBeInTheDocument()
  })

  it('lists who can be chosen and the known actions by their labels', async () => {
    render(<AuditPanel />)
    await rows()

    const who = screen.getByLabelText('Who')
    expect(
      within(who)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Anyone', 'No one signed in (Carebox, failed sign-ins)', `${admin.name} (${admin.email})`, 'CRM sync'])
    expect(
      within(screen.getByLabelText('Action'))
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Any action', 'Channel settings changed', 'Sign-in failed', 'Team created'])
  })

  it('refuses a range that ends before it starts, without asking the server', async () => {
    render(<AuditPanel />)
    await rows()
    const calls = api.fetchMock.mock.calls.length

    await userEvent.type(screen.getByLabelText('From'), '2026-03-05')
    await userEvent.type(screen.getByLabelText('To'), '2026-03-01')
    await userEvent.click(screen.getByRole('button', { name: 'Filter' }))

    expect(screen.getByRole('alert')).toHaveTextContent('The “from” day is after the “to” day.')
    expect(api.fetchMock.mock.calls.length).toBe(calls)
  })

  it('loads older entries after the last one shown', async () => {
    api.on('GET', `/api/audit?cursor=${failedLogin.id}`, [200, { items: [deletedTeam], nextCursor: null }])
    render(<AuditPanel />)

    await userEvent.click(await screen.findByRole('button', { name: 'Load older' }))

    expect(await screen.findByText('API token CRM sync')).toBeInTheDocument()
    expect(await rows()).toHaveLength(4)
    expect(screen.queryByRole('button', { name: 'Load older' })).not.toBeInTheDocument()
  })
})
