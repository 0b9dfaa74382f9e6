import type { ApiToken } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { TokensPanel } from '../../client/src/features/settings/TokensPanel'
import { fakeApi } from './fake-api'

const crm: ApiToken = {
  id: '9d2f0a55-2b7e-4d0c-8f11-6a3c5e7b0001',
  name: 'CRM sync',
  scopes: ['conversations:read', 'users:read'],
  prefix: 'cbx_4f2a',
  createdAt: '2026-03-01T09:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
}
const secret = 'cbx_9e1b_s3cr3t-value-shown-once'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/tokens', [200, { items: [crm] }])
})

describe('TokensPanel', () => {
  it('lists tokens with their prefix and scopes', async () => {
    render(<TokensPanel />)

    const row = await screen.findByRole('row', { name: 'CRM sync' })

    expect(within(row).getByText('cbx_4f2a…')).toBeInTheDocument()
    expect(within(row).getByText('Read conversations and messages')).toBeInTheDocument()
    expect(within(row).getByText('Active')).toBeInTheDocument()
  })

  it('shows a new token’s secret once, warning it will not be shown again', async () => {
    const created: ApiToken = { ...crm, id: '9d2f0a55-2b7e-4d0c-8f11-6a3c5e7b0002', name: 'Reporting', scopes: ['audit:read'], prefix: 'cbx_9e1b' }
    api.on('POST', '/api/tokens', [200, { token: created, secret }])
    render(<TokensPanel />)

    await userEvent.click(await screen.findByRole('button', { name: 'Create a token' }))
    const form = screen.getByRole('form', { name: 'Create a token' })
    await userEvent.type(within(form).getByLabelText('Name'), 'Reporting')
    await userEvent.click(within(form).getByLabelText('Read the audit log'))
    await userEvent.click(within(form).getByRole('button', { name: 'Create token' }))

    const notice = await screen.findByRole('region', { name: 'Secret of Reporting' })
    expect(within(notice).getByText(secret)).toBeInTheDocument()
    expect(notice).toHaveTextContent('it won’t be shown again')
    expect(api.requests('POST', '/api/tokens')[0]?.body).toEqual({ name: 'Reporting', scopes: ['audit:read'] })
    expect(screen.getByRole('row', { name: 'Reporting' })).toBeInTheDocument()

    await userEvent.click(within(notice).getByRole('button', { name: 'Done' }))

    expect(screen.queryByText(secret)).not.toBeInTheDocument()
  })

  it('asks for at least one scope', async () => {
    render(<TokensPanel />)

    await userEvent.click(await screen.findByRole('button', { name: 'Create a token' }))
    const form = screen.getByRole('form', { name: 'Create a token' })
    await userEvent.type(within(form).getByLabelText('Name'), 'Nothing')
    await userEvent.click(within(form).getByRole('button', { name: 'Create token' }))

    expect(within(form).getByRole('alert')).toHaveTextContent('Choose at least one scope.')
    expect(api.requests('POST', '/api/tokens')).toHaveLength(0)
  })

  it('revokes a token only once confirmed', async () => {
    api.on('DELETE', `/api/tokens/${crm.id}`, [200, { ...crm, revokedAt: '2026-03-02T09:00:00.000Z' }])
    render(<TokensPanel />)
    const row = await screen.findByRole('row', { name: 'CRM sync' })

    await userEvent.click(within(row).getByRole('button', { name: 'Revoke' }))
    await userEvent.click(within(row).getByRole('button', { name: 'Yes, revoke' }))

    expect(await within(row).findByText(/Revoked/)).toBeInTheDocument()
    expect(within(row).queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument()
  })
})
