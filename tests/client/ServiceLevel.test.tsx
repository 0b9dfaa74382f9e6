import { slaTargetKindDefinitions, type SlaTarget } from '@carebox/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'

const dueIn = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 30_000).toISOString()
const conversation = conversationOf({ sla: { state: 'active', dueAt: dueIn(20) } })
const slaUrl = `/api/conversations/${conversation.id}/sla`

function targetOf(overrides: Partial<SlaTarget> = {}): SlaTarget {
  return {
    id: crypto.randomUUID(),
    kind: 'first_response',
    status: 'active',
    policyName: 'Standard',
    targetMinutes: 30,
    businessHours: true,
    startedAt: '2026-03-03T09:00:00.000Z',
    dueAt: dueIn(20),
    stoppedAt: null,
    breachedAt: null,
    ...overrides,
  }
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

async function renderPane(slaTargets: SlaTarget[]) {
  arrangeOpenConversation(api, { conversation, slaTargets })
  render(<ConversationPane />)
  return screen.findByRole('region', { name: 'Service level' })
}

describe('ServiceLevel', () => {
  it("lists the conversation's targets: kind, state, when, and how each is counted", async () => {
    const section = await renderPane([
      targetOf({ kind: 'resolution', targetMinutes: 1440, businessHours: false }),
      targetOf({ status: 'achieved', dueAt: null, stoppedAt: '2026-03-03T09:12:00.000Z' }),
      targetOf({ kind: 'next_response', status: 'breached', policyName: null, breachedAt: '2026-03-03T10:00:00.000Z' }),
    ])

    const items = await within(section).findAllByRole('listitem')
    expect(items).toHaveLength(3)
    expect(items[0]).toHaveTextContent('Resolution')
    expect(items[0]).toHaveTextContent('Running')
    expect(items[0]).toHaveTextContent(/due /)
    expect(items[0]).toHaveTextContent('Within 24h, calendar time · Standard')
    expect(items[1]).toHaveTextContent('First response')
    expect(items[1]).toHaveTextContent('Met')
    expect(items[1]).toHaveTextContent(/met /)
    expect(items[1]).toHaveTextContent('Within 30m, business hours · Standard')
    expect(items[2]).toHaveTextContent('Next response')
    expect(items[2]).toHaveTextContent('Breached')
    expect(items[2]).toHaveTextContent('Within 30m, business hours')
    expect(items[2]).not.toHaveTextContent('·')
  })

  it("explains each kind of target, word for word, as the kind's tooltip", async () => {
    const section = await renderPane([targetOf(), targetOf({ kind: 'resolution' })])

    expect(await within(section).findByText('First response')).toHaveAttribute('title', slaTargetKindDefinitions.first_response)
    expect(within(section).getByText('Resolution')).toHaveAttribute('title', slaTargetKindDefinitions.resolution)
  })

  it('says so when no SLA policy applies', async () => {
    const section = await renderPane([])

    expect(await within(section).findByText('No SLA policy applies.')).toBeInTheDocument()
  })

  it('loads the targets again when the conversation.updated summary brings a new deadline', async () => {
    const section = await renderPane([targetOf()])
    await within(section).findByText('Running')
    api.on('GET', slaUrl, [200, { items: [targetOf({ status: 'achieved', dueAt: null, stoppedAt: new Date().toISOString() })] }])

    act(() => useStore.getState().upsertConversation({ ...conversation, sla: null }, 'live'))

    expect(await within(section).findByText('Met')).toBeInTheDocument()
    expect(api.requests('GET', slaUrl)).toHaveLength(1)
  })

  it('takes the targets from the conversation as it opens, without a request of their own', async () => {
    const section = await renderPane([targetOf()])

    expect(await within(section).findByText('Running')).toBeInTheDocument()
    expect(api.requests('GET', slaUrl)).toHaveLength(0)
  })

  it('does not load them again for an update that leaves the deadline as it was', async () => {
    const section = await renderPane([targetOf()])
    await within(section).findByText('Running')

    act(() => useStore.getState().upsertConversation({ ...conversation, tags: ['vip'] }, 'live'))

    await waitFor(() => expect(screen.getByText('vip')).toBeInTheDocument())
    expect(api.requests('GET', slaUrl)).toHaveLength(0)
  })

  it('shows the SLA badge in the conversation header', async () => {
    await renderPane([targetOf()])

    const state = screen.getByLabelText('Conversation state')
    expect(within(state).getByText('20m left')).toBeInTheDocument()
    expect(state.querySelector('.sla-badge')).toHaveClass('sla-green')
  })

  it('says why when the targets cannot be loaded again', async () => {
    const section = await renderPane([targetOf()])
    await within(section).findByText('Running')
    api.on('GET', slaUrl, [500, { error: { code: 'internal', message: 'Something broke' } }])

    act(() => useStore.getState().upsertConversation({ ...conversation, sla: null }, 'live'))

    expect(await within(section).findByRole('alert')).toHaveTextContent('Could not load the SLA targets')
  })
})
