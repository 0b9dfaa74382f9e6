import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { SystemInfo } from '../../shared/src/index.js'

const systemInfo: SystemInfo = {
  version: '0.1.0',
  startedAt: '2026-03-02T09:00:00.000Z',
  database: { mode: 'embedded', serverVersion: '17.10', migrationsApplied: 3 },
  queue: { workerInProcess: true, pendingJobs: 2, failedJobs: 1 },
}

import { App } from '../../client/src/App'
import { useStore } from '../../client/src/store/store'

// The network is stubbed below api/http.ts, the console's only caller of fetch.
const fetchMock = vi.fn<typeof fetch>()

function answer(status: number, body: unknown) {
  fetchMock.mockResolvedValue(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

describe('App', () => {
  it('opens on the inbox with the main navigation', () => {
    render(<App />)

    const nav = screen.getByRole('navigation', { name: 'Main' })
    expect(within(nav).getByRole('link', { name: /Inbox/ })).toHaveAttribute('aria-current', 'page')
    expect(within(nav).getByRole('link', { name: /Dashboard/ })).toBeInTheDocument()
    expect(within(nav).getByRole('link', { name: /Settings/ })).toBeInTheDocument()
    expect(screen.getByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument()
  })

  it('navigates without a reload and updates the address bar', async () => {
    render(<App />)

    await userEvent.click(screen.getByRole('link', { name: /Dashboard/ }))

    expect(screen.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument()
    expect(window.location.pathname).toBe('/dashboard')
  })

  it('shows the system status from the API in Settings', async () => {
    answer(200, systemInfo)
    useStore.getState().syncPath('/settings/system')

    render(<App />)

    expect(await screen.findByText('PostgreSQL 17.10 (embedded)')).toBeInTheDocument()
    expect(fetchMock).toHaveBeenCalledWith('/api/system', expect.objectContaining({ method: 'GET' }))
    expect(screen.getByRole('link', { name: 'System' })).toHaveAttribute('aria-current', 'page')
    expect(screen.getByText('Jobs failed').nextElementSibling).toHaveTextContent('1')
  })

  it('explains when the system status cannot be loaded', async () => {
    answer(503, { error: { code: 'unavailable', message: 'Server is restarting' } })
    useStore.getState().syncPath('/settings/system')

    render(<App />)

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load system status: Server is restarting')
  })

  it('follows the browser back button', async () => {
    render(<App />)
    await userEvent.click(screen.getByRole('link', { name: /Dashboard/ }))

    window.history.back()

    expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument()
  })
})
