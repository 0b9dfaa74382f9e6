import { act, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WallboardPage } from '../../client/src/features/wallboard/WallboardPage'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf, support } from './fake-api'
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
  api.on('GET', '/api/teams', [200, { items: [support] }])
  stop = syncSocketWithSession()
  useStore.getState().startSession(sessionOf('lead'))
  act(() => sockets[0]!.receive('connect'))
})

afterEach(() => stop())

function figure(name: string): string {
  return within(screen.getByRole('region', { name })).getByText((_, element) => element?.classList.contains('wallboard-value') ?? false).textContent ?? ''
}

describe('WallboardPage: satisfaction today', () => {
  it('shows today’s satisfaction as a score out of 100, with how many ratings it is of', async () => {
    api.on('GET', '/api/reports/wallboard', [200, wallboardOf({ todayRatings: 12, todaySatisfaction: 91.7 })])

    render(<WallboardPage />)

    const tile = await screen.findByRole('region', { name: 'Satisfaction today' })
    expect(figure('Satisfaction today')).toBe('91.7%')
    expect(tile).toHaveTextContent('of 12 ratings were 4 or 5')
  })

  it('shows a dash, not 0%, before anyone has rated today', async () => {
    api.on('GET', '/api/reports/wallboard', [200, wallboardOf({ todayRatings: 0, todaySatisfaction: null })])

    render(<WallboardPage />)

    const tile = await screen.findByRole('region', { name: 'Satisfaction today' })
    expect(figure('Satisfaction today')).toBe('—')
    expect(tile).toHaveTextContent('no ratings yet today')
  })
})
