import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NotificationToasts } from '../../client/src/features/notifications/NotificationToasts'
import { SurgesPanel } from '../../client/src/features/dashboard/SurgesPanel'
import { useStore } from '../../client/src/store/store'
import { otherConversationId } from './conversation-fixtures'
import { billing, fakeApi, sessionOf } from './fake-api'
import type { FakeSocket } from './fake-socket'
import { surge } from './report-fixtures'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

const { syncSocketWithSession } = await import('../../client/src/api/socket')

let api: ReturnType<typeof fakeApi>
let stop: () => void

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
  stop = syncSocketWithSession()
})

afterEach(() => stop())

function signInAs(role: 'agent' | 'lead' | 'admin') {
  useStore.getState().startSession(sessionOf(role))
  act(() => sockets[0]!.receive('connect'))
}

/** The panel as the dashboard shows it: bound to the store. */
function LiveSurgesPanel() {
  const surges = useStore((s) => s.surges)
  return <SurgesPanel surges={surges} error={undefined} />
}

const surgeOf = (n: number) => ({ ...surge, id: `8e7d6c5b-0000-4000-8000-00000000e00${n}`, label: `Channel ${n}`, reasons: ['volume' as const] })

describe('surge.detected', () => {
  it('shows a lead a toast of the surge that leads to the dashboard’s surge panel', async () => {
    const user = userEvent.setup()
    signInAs('lead')
    render(<NotificationToasts />)

    act(() => sockets[0]!.receive('surge.detected', surge))

    const toasts = screen.getByRole('region', { name: 'Notifications' })
    expect(toasts).toHaveTextContent('More messages and more complaints than usual on Acme on WhatsApp')
    expect(toasts).toHaveTextContent('38% negative vs 10% usual · 42 messages vs 12.5 usual')
    const link = within(toasts).getByRole('link', { name: 'See surges on the dashboard' })
    expect(link).toHaveAttribute('href', '/dashboard#surges')
    await user.click(link)
    expect(useStore.getState().path).toBe('/dashboard#surges')
    expect(screen.queryByRole('region', { name: 'Notifications' })).not.toBeInTheDocument()
  })

  it('shows an admin the toast too', () => {
    signInAs('admin')
    render(<NotificationToasts />)

    act(() => sockets[0]!.receive('surge.detected', surge))

    expect(screen.getByRole('region', { name: 'Notifications' })).toHaveTextContent('Acme on WhatsApp')
  })

  it('shows an agent nothing', () => {
    signInAs('agent')
    render(<NotificationToasts />)

    act(() => sockets[0]!.receive('surge.detected', surge))

    expect(screen.queryByRole('region', { name: 'Notifications' })).not.toBeInTheDocument()
    expect(useStore.getState().toasts).toEqual([])
  })

  it('groups a burst with the other notices into one card, each under "Show all"', async () => {
    const user = userEvent.setup()
    signInAs('lead')
    render(<NotificationToasts />)

    act(() => sockets[0]!.receive('notification.created', { kind: 'assigned', conversationId: otherConversationId, by: null, preview: 'Where is my order?' }))
    for (let n = 1; n <= 3; n++) act(() => sockets[0]!.receive('surge.detected', surgeOf(n)))
    const toasts = screen.getByRole('region', { name: 'Notifications' })
    await user.click(within(toasts).getByRole('button', { name: 'Show all' }))

    expect(toasts).toHaveTextContent('4 new notifications')
    expect(
      within(toasts)
        .getAllByRole('listitem')
        .map((item) => item.querySelector('.toast-title')?.textContent),
    ).toEqual([
      'More messages than usual on Channel 3',
      'More messages than usual on Channel 2',
      'More messages than usual on Channel 1',
      'Carebox assigned you a conversation',
    ])
  })

  it('adds a live surge to the surge panel of the lead’s dashboard, once', async () => {
    api.on('GET', '/api/reports/surges', [200, { items: [] }])
    signInAs('lead')
    await useStore.getState().loadSurges()
    render(<LiveSurgesPanel />)
    expect(screen.getByText('No surges in the last 7 days.')).toBeInTheDocument()

    act(() => sockets[0]!.receive('surge.detected', surge))
    act(() => sockets[0]!.receive('surge.detected', surge))

    expect(screen.getAllByRole('listitem', { name: 'More messages and more complaints than usual on Acme on WhatsApp' })).toHaveLength(1)
  })

  it('leaves out of the panel a surge of another team than the one filtered on', async () => {
    api.on('GET', `/api/reports/surges?teamId=${billing.id}`, [200, { items: [] }])
    signInAs('lead')
    useStore.setState({ reportQuery: { period: '7d', teamId: billing.id } })
    await useStore.getState().loadSurges()

    act(() => sockets[0]!.receive('surge.detected', surge))

    expect(useStore.getState().surges).toEqual([])
  })

  it('shows what surged as text, whatever it says', () => {
    const tag = { ...surge, scope: 'tag' as const, key: 'x', label: '<img src=x onerror="window.__pwned=1">refund' }

    const { container } = render(<SurgesPanel surges={[tag]} error={undefined} />)

    expect(screen.getByText('<img src=x onerror="window.__pwned=1">refund')).toBeInTheDocument()
    expect(container.querySelector('img')).toBeNull()
    expect(
      screen.getByRole('listitem', { name: 'More messages and more complaints than usual on tag “<img src=x onerror="window.__pwned=1">refund”' }),
    ).toBeInTheDocument()
  })
})
