import type { AuditEntry } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { AuditPanel } from '../../client/src/features/settings/AuditPanel'
import { fakeApi, userOf } from './fake-api'

const admin = userOf('admin')

function entry(action: string, at: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: crypto.randomUUID(),
    at,
    action,
    actor: { kind: 'user', id: admin.id, name: admin.name, email: admin.email },
    targetType: 'user',
    targetId: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000001',
    details: {},
    ip: '203.0.113.7',
    userAgent: 'Firefox',
    ...overrides,
  }
}

const newest = entry('user.invited', '2026-03-02T10:00:00.000Z')
const failedLogin = entry('auth.login_failed', '2026-03-02T09:00:00.000Z', { actor: { kind: 'system' }, targetType: null, targetId: null })
const older = entry('token.created', '2026-03-01T09:00:00.000Z', { actor: { kind: 'token', id: crypto.randomUUID(), name: 'CRM sync' } })

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/audit', [200, { items: [newest, failedLogin], nextCursor: failedLogin.id }])
})

describe('AuditPanel', () => {
  it('lists entries newest first with who, what, target and IP', async () => {
    render(<AuditPanel />)

    const table = await screen.findByRole('table', { name: 'Audit log' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows[0]).toHaveTextContent('Ada Admin')
    expect(rows[0]).toHaveTextContent('user.invited')
    expect(rows[0]).toHaveTextContent(`user ${newest.targetId}`)
    expect(rows[0]).toHaveTextContent('203.0.113.7')
    expect(rows[1]).toHaveTextContent('No one signed in')
  })

  it('loads older entries after the last one shown', async () => {
    api.on('GET', `/api/audit?cursor=${failedLogin.id}`, [200, { items: [older], nextCursor: null }])
    render(<AuditPanel />)

    await userEvent.click(await screen.findByRole('button', { name: 'Load older' }))

    expect(await screen.findByText('API token CRM sync')).toBeInTheDocument()
    expect(screen.getAllByRole('row')).toHaveLength(4)
    expect(screen.queryByRole('button', { name: 'Load older' })).not.toBeInTheDocument()
  })

  it('filters by action', async () => {
    api.on('GET', '/api/audit?action=auth.login_failed', [200, { items: [failedLogin], nextCursor: null }])
    render(<AuditPanel />)
    await screen.findByText('user.invited')

    await userEvent.type(screen.getByLabelText('Action'), 'auth.login_failed')
    await userEvent.click(screen.getByRole('button', { name: 'Filter' }))

    expect(await screen.findByText('auth.login_failed')).toBeInTheDocument()
    expect(screen.queryByText('user.invited')).not.toBeInTheDocument()
  })

  it('refuses an action filter the API would reject', async () => {
    render(<AuditPanel />)
    await screen.findByText('user.invited')

    await userEvent.type(screen.getByLabelText('Action'), 'User Invited!')
    await userEvent.click(screen.getByRole('button', { name: 'Filter' }))

    expect(screen.getByRole('alert')).toHaveTextContent('lowercase letters, dots and underscores')
    expect(api.fetchMock).toHaveBeenCalledTimes(1)
  })
})
