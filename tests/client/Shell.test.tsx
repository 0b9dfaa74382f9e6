import type { Role } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../client/src/App'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
})

async function renderAs(role: Role, path = '/') {
  api.on('GET', '/api/auth/me', [200, sessionOf(role)])
  window.history.replaceState(null, '', path)
  useStore.getState().syncPath(path)
  render(<App />)
  return screen.findByRole('navigation', { name: 'Main' })
}

describe('Shell', () => {
  it('shows an agent only the inbox', async () => {
    const nav = await renderAs('agent')

    expect(within(nav).getByRole('link', { name: /Inbox/ })).toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: /Dashboard/ })).not.toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: /Settings/ })).not.toBeInTheDocument()
  })

  it('shows a team lead the dashboard and settings, which hold only the tabs for leads', async () => {
    const nav = await renderAs('lead')

    expect(within(nav).getByRole('link', { name: /Dashboard/ })).toBeInTheDocument()
    expect(within(nav).getByRole('link', { name: /Settings/ })).toBeInTheDocument()
  })

  it('shows an admin every section and every settings tab', async () => {
    api.on('GET', '/api/channels', [200, []])
    api.on('GET', '/api/teams', [200, { items: [] }])

    const nav = await renderAs('admin', '/settings')

    expect(within(nav).getByRole('link', { name: /Dashboard/ })).toBeInTheDocument()
    expect(within(nav).getByRole('link', { name: /Settings/ })).toBeInTheDocument()
    const tabs = screen.getByRole('navigation', { name: 'Settings' })
    expect(
      within(tabs)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual([
      'Channels',
      'Users',
      'Teams',
      'Canned replies',
      'Hours & routing',
      'SLA policies',
      'Rules',
      'Surveys',
      'Reports',
      'API tokens',
      'Integrations',
      'Audit',
      'System',
    ])
    expect(within(tabs).getByRole('link', { name: 'Channels' })).toHaveAttribute('aria-current', 'page')
  })

  it('names who is signed in, with their role', async () => {
    const nav = await renderAs('lead')

    const user = within(nav).getByLabelText('Signed in')
    expect(user).toHaveTextContent('Lee Lead')
    expect(user).toHaveTextContent('Team lead')
    expect(within(user).getByRole('button', { name: 'Sign out' })).toBeInTheDocument()
  })

  it('tells an agent who opens a settings URL that it is not for their role', async () => {
    await renderAs('agent', '/settings/users')

    expect(screen.getByRole('heading', { name: 'Not available' })).toBeInTheDocument()
    expect(api.requests('GET', '/api/users')).toHaveLength(0)
  })
})
