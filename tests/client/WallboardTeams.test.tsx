import { act, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WallboardPage } from '../../client/src/features/wallboard/WallboardPage'
import { useStore } from '../../client/src/store/store'
import { billing, fakeApi, sessionOf, support } from './fake-api'
import type { FakeSocket } from './fake-socket'
import { wallboardOf } from './report-fixtures'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

const { syncSocketWithSession } = await import('../../client/src/api/socket')

let api: ReturnType<typeof fakeApi>
let stop: () => void

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
  api.on('GET', '/api/teams', [200, { items: [support, billing] }])
  stop = syncSocketWithSession()
  useStore.getState().startSession(sessionOf('lead'))
  act(() => sockets[0]!.receive('connect'))
})

afterEach(() => {
  stop()
  vi.useRealTimers()
})

/** A team's row as read out: its name, then online, away, offline and waiting. */
function rowOf(team: string): string[] {
  const table = within(screen.getByRole('region', { name: 'Teams now' })).getByRole('table')
  const row = within(table).getByRole('row', { name: new RegExp(`^${team}`) })
  return within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent ?? '')
}

describe('WallboardPage: teams now', () => {
  it('shows each team by name with its agents online, away and offline and its customers waiting', async () => {
    api.on('GET', '/api/reports/wallboard', [200, wallboardOf()])

    render(<WallboardPage />)

    const teams = await screen.findByRole('region', { name: 'Teams now' })
    expect(
      within(teams)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Team', 'Online', 'Away', 'Offline', 'Waiting'])
    expect(
      within(teams)
        .getAllByRole('rowheader')
        .map((h) => h.textContent),
    ).toEqual(['Billing', 'Support'])
    expect(rowOf('Billing')).toEqual(['1', '0', '2', '2'])
    expect(rowOf('Support')).toEqual(['4', '1', '3', '5'])
  })

  it('marks customers waiting with nobody of their team online', async () => {
    api.on('GET', '/api/reports/wallboard', [200, wallboardOf({ teams: [{ id: support.id, name: 'Support', online: 0, away: 2, offline: 1, waiting: 4 }] })])

    render(<WallboardPage />)

    await screen.findByRole('region', { name: 'Teams now' })
    const waiting = within(screen.getByRole('row', { name: /^Support/ })).getAllByRole('cell')[3]
    expect(waiting).toHaveTextContent('4')
    expect(waiting).toHaveClass('wallboard-uncovered')
  })

  it('shows a team’s name as the text it is, markup and all', async () => {
    const name = '<img src=x onerror=alert(1)> Night shift'
    api.on('GET', '/api/reports/wallboard', [200, wallboardOf({ teams: [{ id: support.id, name, online: 1, away: 0, offline: 0, waiting: 0 }] })])

    render(<WallboardPage />)

    expect(await screen.findByRole('rowheader', { name })).toBeInTheDocument()
    expect(document.querySelector('.wallboard img')).toBeNull()
  })

  it('moves the figures on when someone goes online', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    api.on('GET', '/api/reports/wallboard', [200, wallboardOf()])
    render(<WallboardPage />)
    await screen.findByRole('region', { name: 'Teams now' })
    api.on('GET', '/api/reports/wallboard', [200, wallboardOf({ teams: [{ id: support.id, name: 'Support', online: 5, away: 1, offline: 2, waiting: 5 }] })])

    act(() => sockets[0]!.receive('presence.updated', { userId: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009', presence: 'online' }))

    await vi.waitFor(() => expect(rowOf('Support')).toEqual(['5', '1', '2', '5']))
  })

  it('says so when the viewer has no team to show', async () => {
    api.on('GET', '/api/reports/wallboard', [200, wallboardOf({ teams: [] })])

    render(<WallboardPage />)

    const teams = await screen.findByRole('region', { name: 'Teams now' })
    expect(teams).toHaveTextContent('No teams to show.')
    expect(within(teams).queryByRole('table')).not.toBeInTheDocument()
  })
})
