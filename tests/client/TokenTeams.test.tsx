import type { ApiToken } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { TokensPanel } from '../../client/src/features/settings/TokensPanel'
import { billing, fakeApi, support } from './fake-api'

const open: ApiToken = {
  id: '9d2f0a55-2b7e-4d0c-8f11-6a3c5e7b0011',
  name: 'Warehouse',
  scopes: ['conversations:read'],
  teamIds: null,
  prefix: 'cbx_1a2b',
  createdAt: '2026-03-01T09:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/tokens', [200, { items: [open] }])
  api.on('GET', '/api/teams', [200, { items: [support, billing] }])
})

describe('TokensPanel teams', () => {
  it('shows a token open to every team as such', async () => {
    render(<TokensPanel />)

    const row = await screen.findByRole('row', { name: 'Warehouse' })

    expect(row).toHaveTextContent('Every team')
  })

  it('creates a CRM token limited to the chosen teams, and lists their names', async () => {
    const created: ApiToken = { ...open, id: '9d2f0a55-2b7e-4d0c-8f11-6a3c5e7b0012', name: 'CRM sync', scopes: ['contacts:write'], teamIds: [billing.id] }
    api.on('POST', '/api/tokens', [200, { token: created, secret: 'cbx_secret' }])
    const user = userEvent.setup()
    render(<TokensPanel />)

    await user.click(await screen.findByRole('button', { name: 'Create a token' }))
    const form = screen.getByRole('form', { name: 'Create a token' })
    await user.type(within(form).getByLabelText('Name'), 'CRM sync')
    await user.click(within(form).getByLabelText('Create and update customers (CRM sync)'))
    await user.click(within(form).getByLabelText('Only the teams chosen below: their conversations and customers'))
    await user.click(within(form).getByRole('button', { name: 'Create token' }))
    expect(within(form).getByRole('alert')).toHaveTextContent('Choose at least one team, or let the token reach every team.')
    await user.click(await within(form).findByLabelText('Billing'))
    await user.click(within(form).getByRole('button', { name: 'Create token' }))

    expect(await screen.findByRole('region', { name: 'Secret of CRM sync' })).toBeInTheDocument()
    expect(api.requests('POST', '/api/tokens').map((r) => r.body)).toEqual([{ name: 'CRM sync', scopes: ['contacts:write'], teamIds: [billing.id] }])
    expect(screen.getByRole('row', { name: 'CRM sync' })).toHaveTextContent('Billing')
  })

  it('says why the server refused the token', async () => {
    api.on('POST', '/api/tokens', [400, { error: { code: 'validation_failed', message: 'Some of the chosen teams do not exist.' } }])
    const user = userEvent.setup()
    render(<TokensPanel />)

    await user.click(await screen.findByRole('button', { name: 'Create a token' }))
    const form = screen.getByRole('form', { name: 'Create a token' })
    await user.type(within(form).getByLabelText('Name'), 'CRM sync')
    await user.click(within(form).getByLabelText('Read channels'))
    await user.click(within(form).getByLabelText('Only the teams chosen below: their conversations and customers'))
    await user.click(await within(form).findByLabelText('Support'))
    await user.click(within(form).getByRole('button', { name: 'Create token' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent('Some of the chosen teams do not exist.')
  })
})
