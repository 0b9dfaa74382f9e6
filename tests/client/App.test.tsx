import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import type { SystemInfo } from '../../shared/src/index.js'
import { App } from '../../client/src/App'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'

const systemInfo: SystemInfo = {
  version: '0.1.0',
  startedAt: '2026-03-02T09:00:00.000Z',
  database: { mode: 'embedded', serverVersion: '17.10', migrationsApplied: 3 },
  queue: { workerInProcess: true, pendingJobs: 2, heldJobs: 3, failedJobs: 1 },
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/auth/me', [200, sessionOf('admin')])
})

describe('App', () => {
  it('opens on the inbox with the main navigation', async () => {
    render(<App />)

    const nav = await screen.findByRole('navigation', { name: 'Main' })
    expect(within(nav).getByRole('link', { name: /Inbox/ })).toHaveAttribute('aria-current', 'page')
    expect(within(nav).getByRole('link', { name: /Dashboard/ })).toBeInTheDocument()
    expect(within(nav).getByRole('link', { name: /Settings/ })).toBeInTheDocument()
    expect(screen.getByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument()
  })

  it('navigates without a reload and updates the address bar', async () => {
    render(<App />)

    await userEvent.click(await screen.findByRole('link', { name: /Dashboard/ }))

    expect(screen.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument()
    expect(window.location.pathname).toBe('/dashboard')
  })

  it('shows the system status from the API in Settings', async () => {
    api.on('GET', '/api/system', [200, systemInfo])
    useStore.getState().syncPath('/settings/system')

    render(<App />)

    expect(await screen.findByText('PostgreSQL 17.10 (embedded)')).toBeInTheDocument()
    expect(api.requests('GET', '/api/system')).toHaveLength(1)
    expect(screen.getByRole('link', { name: 'System' })).toHaveAttribute('aria-current', 'page')
    expect(screen.getByText('Jobs failed').nextElementSibling).toHaveTextContent('1')
    expect(screen.getByText('Jobs held by a stopped worker').nextElementSibling).toHaveTextContent('3')
  })

  it('explains when the system status cannot be loaded', async () => {
    api.on('GET', '/api/system', [503, { error: { code: 'unavailable', message: 'Server is restarting' } }])
    useStore.getState().syncPath('/settings/system')

    render(<App />)

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load system status: Server is restarting')
  })

  it('follows the browser back button', async () => {
    render(<App />)
    await userEvent.click(await screen.findByRole('link', { name: /Dashboard/ }))

    window.history.back()

    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument()
  })
})
