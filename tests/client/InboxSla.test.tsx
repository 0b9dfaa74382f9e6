import type { Channel, ConversationSummary, ConversationView, Role } from '@carebox/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { syncSocketWithSession } from '../../client/src/api/socket'
import { InboxPage } from '../../client/src/features/inbox/InboxPage'
import { slaListRefreshMs } from '../../client/src/features/inbox/useSlaListRefresh'
import { useStore } from '../../client/src/store/store'
import { channelId, conversationOf, listUrl, otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf, support } from './fake-api'
import type { FakeSocket } from './fake-socket'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

/** A deadline `minutes` from now, with 30 s to spare so the badge's rounded-down minutes are exact. */
const dueIn = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 30_000).toISOString()

const rosa = conversationOf({ sla: { state: 'active', dueAt: dueIn(40) } })
const tom = conversationOf({
  id: otherConversationId,
  contact: { id: crypto.randomUUID(), name: 'Tom Baker', handle: null },
  lastMessagePreview: 'Do you ship to Norway?',
  sla: { state: 'active', dueAt: dueIn(10) },
})
const channel = { id: channelId, kind: 'facebook', name: 'Acme on Messenger', teamId: support.id } as Channel
const page = (items: ConversationSummary[], nextCursor: string | null = null) => [200, { items, nextCursor }] as [number, unknown]

let api: ReturnType<typeof fakeApi>
let stop: () => void

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
  api.on('GET', '/api/channels', [200, [channel]])
  api.on('GET', listUrl(), page([rosa, tom]))
  stop = syncSocketWithSession()
})

afterEach(() => {
  stop()
  vi.useRealTimers()
})

async function renderInboxAs(role: Role, view?: ConversationView) {
  useStore.getState().startSession(sessionOf(role))
  // Past the first landing (an agent's is in Mine, see WorkFlow.test.tsx): these tests start in All open.
  useStore.setState({ hasLandedInInbox: true })
  if (view) useStore.setState((s) => ({ listFilters: { ...s.listFilters, view } }))
  render(<InboxPage />)
  const list = await screen.findByRole('list', { name: 'Conversations' })
  await within(list).findByText('Rosa Diaz')
  return list
}

/** The rows' customer names, top to bottom. */
function rowNames(list: HTMLElement): string[] {
  return within(list)
    .getAllByRole('button')
    .map((row) => row.querySelector('strong')?.textContent ?? '')
}

describe('InboxPage SLA', () => {
  it("shows each conversation's SLA badge in its row, and none where no SLA applies", async () => {
    api.on(
      'GET',
      listUrl(),
      page([rosa, tom, conversationOf({ id: crypto.randomUUID(), contact: { id: crypto.randomUUID(), name: 'Ana Ruiz', handle: null } })]),
    )

    const list = await renderInboxAs('agent')

    const rosaRow = within(list).getByRole('button', { name: /Rosa Diaz/ })
    expect(within(rosaRow).getByText('40m left')).toBeInTheDocument()
    expect(rosaRow).toHaveAccessibleName(/SLA on track: 40m left/)
    expect(within(list).getByRole('button', { name: /Tom Baker/ })).toHaveAccessibleName(/SLA at risk: 10m left/)
    expect(
      within(list)
        .getByRole('button', { name: /Ana Ruiz/ })
        .querySelector('.sla-badge'),
    ).toBeNull()
  })

  it('asks for the chosen SLA standing in next-breach order, and pages older ones with the same filters', async () => {
    const user = userEvent.setup()
    api.on('GET', listUrl({ sla: 'breached' }), page([rosa]))
    api.on('GET', listUrl({ sla: 'breached', sort: 'next_breach' }), page([tom], 'cursor-1'))
    api.on('GET', listUrl({ sla: 'breached', sort: 'next_breach', cursor: 'cursor-1' }), page([rosa]))
    const list = await renderInboxAs('agent')

    await user.selectOptions(screen.getByRole('combobox', { name: 'SLA' }), 'Breached')
    await user.click(screen.getByRole('button', { name: 'Next breach' }))
    await within(list).findByText('Tom Baker')
    await user.click(screen.getByRole('button', { name: 'Load older' }))

    expect(await within(list).findByText('Rosa Diaz')).toBeInTheDocument()
    expect(api.requests('GET', listUrl({ sla: 'breached' }))).toHaveLength(1)
    expect(api.requests('GET', listUrl({ sla: 'breached', sort: 'next_breach' }))).toHaveLength(1)
    expect(api.requests('GET', listUrl({ sla: 'breached', sort: 'next_breach', cursor: 'cursor-1' }))).toHaveLength(1)
    expect(screen.getByRole('button', { name: 'Next breach' })).toHaveAttribute('aria-pressed', 'true')
    expect(screen.getByRole('button', { name: 'Latest activity' })).toHaveAttribute('aria-pressed', 'false')
  })

  it('offers every SLA standing in the filter', async () => {
    await renderInboxAs('agent')

    const options = within(screen.getByRole('combobox', { name: 'SLA' })).getAllByRole('option')
    expect(options.map((o) => o.textContent)).toEqual(['Any SLA', 'Breached', 'At risk', 'On track', 'Paused', 'No SLA'])
  })

  it('hides the at-risk view from agents', async () => {
    await renderInboxAs('agent')

    const views = screen.getByRole('navigation', { name: 'Views' })
    expect(within(views).queryByRole('button', { name: 'At risk' })).not.toBeInTheDocument()
  })

  it('shows team leads the at-risk view, nearest deadline first whatever the sort', async () => {
    const user = userEvent.setup()
    api.on('GET', listUrl({ view: 'at_risk', sort: 'next_breach' }), page([tom]))
    const list = await renderInboxAs('lead')

    await user.click(within(screen.getByRole('navigation', { name: 'Views' })).getByRole('button', { name: 'At risk' }))

    await waitFor(() => expect(within(list).queryByText('Rosa Diaz')).not.toBeInTheDocument())
    expect(within(list).getByText('Tom Baker')).toBeInTheDocument()
    expect(api.requests('GET', listUrl({ view: 'at_risk', sort: 'next_breach' }))).toHaveLength(1)
    expect(screen.getByRole('button', { name: 'Next breach' })).toHaveAttribute('aria-pressed', 'true')
    expect(screen.getByRole('button', { name: 'Latest activity' })).toBeDisabled()
  })

  it('asks for the at-risk list again every minute, as deadlines come within 15 minutes with no event', async () => {
    api.on('GET', listUrl({ view: 'at_risk', sort: 'next_breach' }), page([rosa, tom]))
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    await renderInboxAs('lead', 'at_risk')
    expect(api.requests('GET', listUrl({ view: 'at_risk', sort: 'next_breach' }))).toHaveLength(1)

    act(() => vi.advanceTimersByTime(slaListRefreshMs))

    await waitFor(() => expect(api.requests('GET', listUrl({ view: 'at_risk', sort: 'next_breach' }))).toHaveLength(2))
  })

  it('re-sorts a next-breach list and turns the badge when a conversation.updated brings a new deadline', async () => {
    const user = userEvent.setup()
    api.on('GET', listUrl({ sort: 'next_breach' }), page([tom, rosa]))
    const list = await renderInboxAs('agent')
    await user.click(screen.getByRole('button', { name: 'Next breach' }))
    await waitFor(() => expect(rowNames(list)).toEqual(['Tom Baker', 'Rosa Diaz']))

    act(() => sockets[0]!.receive('conversation.updated', { conversation: { ...rosa, sla: { state: 'active', dueAt: dueIn(5) } } }))

    expect(rowNames(list)).toEqual(['Rosa Diaz', 'Tom Baker'])
    const rosaRow = within(list).getByRole('button', { name: /Rosa Diaz/ })
    expect(within(rosaRow).getByText('5m left')).toBeInTheDocument()
    expect(rosaRow.querySelector('.sla-badge')).toHaveClass('sla-amber')
  })

  it("asks again for an SLA-filtered list when a conversation's deadline moves, which may move it out", async () => {
    const user = userEvent.setup()
    api.on('GET', listUrl({ sla: 'at_risk' }), page([tom]))
    const list = await renderInboxAs('agent')
    await user.selectOptions(screen.getByRole('combobox', { name: 'SLA' }), 'At risk')
    await waitFor(() => expect(within(list).queryByText('Rosa Diaz')).not.toBeInTheDocument())
    api.on('GET', listUrl({ sla: 'at_risk' }), page([]))

    act(() => sockets[0]!.receive('conversation.updated', { conversation: { ...tom, sla: { state: 'paused', dueAt: null } } }))

    await waitFor(() => expect(within(list).queryByText('Tom Baker')).not.toBeInTheDocument())
    expect(api.requests('GET', listUrl({ sla: 'at_risk' }))).toHaveLength(2)
  })

  it('turns the badge red when a conversation.updated says the SLA was breached', async () => {
    const list = await renderInboxAs('agent')

    act(() =>
      sockets[0]!.receive('conversation.updated', {
        conversation: { ...rosa, sla: { state: 'breached', dueAt: new Date(Date.now() - 3 * 60_000 - 30_000).toISOString() } },
      }),
    )

    const rosaRow = within(list).getByRole('button', { name: /Rosa Diaz/ })
    expect(within(rosaRow).getByText('Breached 3m ago')).toBeInTheDocument()
    expect(rosaRow.querySelector('.sla-badge')).toHaveClass('sla-red')
  })
})
