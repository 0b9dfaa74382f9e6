import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { TeamsPanel } from '../../client/src/features/settings/TeamsPanel'
import { billing, fakeApi, support } from './fake-api'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/teams', [200, { items: [support] }])
})

describe('TeamsPanel', () => {
  it('creates a team', async () => {
    api.on('POST', '/api/teams', [200, billing])
    render(<TeamsPanel />)
    await screen.findByRole('listitem', { name: 'Support' })

    await userEvent.type(screen.getByLabelText('New team'), 'Billing')
    await userEvent.click(screen.getByRole('button', { name: 'Create team' }))

    expect(await screen.findByRole('listitem', { name: 'Billing' })).toBeInTheDocument()
    expect(api.requests('POST', '/api/teams')[0]?.body).toEqual({ name: 'Billing' })
    expect(screen.getByLabelText('New team')).toHaveValue('')
  })

  it('renames a team', async () => {
    api.on('PATCH', `/api/teams/${support.id}`, [200, { ...support, name: 'Customer care' }])
    render(<TeamsPanel />)
    const row = await screen.findByRole('listitem', { name: 'Support' })

    await userEvent.click(within(row).getByRole('button', { name: 'Rename' }))
    const input = within(row).getByLabelText('Team name')
    await userEvent.clear(input)
    await userEvent.type(input, 'Customer care')
    await userEvent.click(within(row).getByRole('button', { name: 'Save' }))

    expect(await screen.findByRole('listitem', { name: 'Customer care' })).toBeInTheDocument()
  })

  it('shows why a team could not be created', async () => {
    api.on('POST', '/api/teams', [409, { error: { code: 'conflict', message: 'A team named Support already exists' } }])
    render(<TeamsPanel />)
    await screen.findByRole('listitem', { name: 'Support' })

    await userEvent.type(screen.getByLabelText('New team'), 'Support')
    await userEvent.click(screen.getByRole('button', { name: 'Create team' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('A team named Support already exists')
  })
})
