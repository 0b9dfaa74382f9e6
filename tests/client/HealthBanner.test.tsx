import type { SystemHealth } from '@carebox/shared'
import { act, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { formatClockTime } from '../../client/src/components/formatTime'
import { Shell } from '../../client/src/features/shell/Shell'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'
import type { FakeSocket } from './fake-socket'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

const { syncSocketWithSession } = await import('../../client/src/api/socket')

const since = new Date(Date.now() - 60_000).toISOString()
const healthy: SystemHealth = { status: 'ok', database: { ok: true, since, detail: 'reachable' }, worker: { ok: true, detail: 'running' } }
const noDatabase: SystemHealth = {
  status: 'degraded',
  database: { ok: false, since, detail: 'unreachable: connect ECONNREFUSED 127.0.0.1:5432' },
  worker: { ok: true, detail: 'running' },
}
const noWorker: SystemHealth = {
  status: 'degraded',
  database: { ok: true, since, detail: 'reachable' },
  worker: { ok: false, detail: 'not running: restarting after a crash' },
}
const databaseText = `Carebox has not reached its database since ${formatClockTime(since)}. Nothing is lost: platforms send their messages again, and work resumes by itself when it is back.`

let api: ReturnType<typeof fakeApi>
let stop: () => void

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
  stop = syncSocketWithSession()
})

afterEach(() => {
  stop()
  vi.useRealTimers()
})

/** Signs in and shows the console's shell around a page whose composer the banner must leave alone. */
function renderShell() {
  useStore.getState().startSession(sessionOf('agent'))
  render(
    <Shell section="inbox">
      <textarea aria-label="Reply" />
    </Shell>,
  )
  return sockets[0]!
}

describe('system.health', () => {
  it('shows a banner at the top of the shell while the database is unreachable, and clears it once it is back', () => {
    const socket = renderShell()
    act(() => socket.receive('connect'))

    act(() => socket.receive('system.health', noDatabase))

    const banner = screen.getByRole('alert')
    expect(banner).toHaveTextContent(databaseText)
    expect(banner.compareDocumentPosition(screen.getByRole('main')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(screen.getByRole('main')).toContainElement(screen.getByRole('textbox', { name: 'Reply' }))

    vi.useFakeTimers()
    act(() => socket.receive('system.health', healthy))

    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Database reachable again.')
    act(() => vi.advanceTimersByTime(5_000))
    expect(screen.queryByText('Database reachable again.')).not.toBeInTheDocument()
  })

  it('names what the worker is doing when the database is fine but jobs are not running', () => {
    const socket = renderShell()

    act(() => socket.receive('system.health', noWorker))

    expect(screen.getByRole('alert')).toHaveTextContent('Carebox’s job worker is not processing (not running: restarting after a crash).')
  })

  it('shows nothing while the node is healthy', () => {
    const socket = renderShell()

    act(() => socket.receive('system.health', healthy))

    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(screen.queryByRole('status')).not.toBeInTheDocument()
  })
})

describe('GET /healthz on connect', () => {
  it('shows the banner when the check answers 503 with a degraded report', async () => {
    api.on('GET', '/healthz', [503, noDatabase])
    const socket = renderShell()

    act(() => socket.receive('connect'))

    expect(await screen.findByRole('alert')).toHaveTextContent(databaseText)
    expect(api.requests('GET', '/healthz')).toHaveLength(1)
  })

  it('asks again on every reconnect, and clears the banner when the node is well again', async () => {
    api.on('GET', '/healthz', [503, noDatabase])
    const socket = renderShell()
    act(() => socket.receive('connect'))
    await screen.findByRole('alert')
    act(() => socket.receive('disconnect', 'transport close'))
    api.on('GET', '/healthz', [200, healthy])

    act(() => socket.receive('connect'))

    expect(await screen.findByText('Database reachable again.')).toBeInTheDocument()
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(api.requests('GET', '/healthz')).toHaveLength(2)
  })
})
