import type { ConversationSummary, Role } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, messageOf } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'

const agent = userOf('agent')
const conversation = conversationOf()
const assignUrl = `/api/conversations/${conversation.id}/assign`
const statusUrl = `/api/conversations/${conversation.id}/status`
const updateUrl = `/api/conversations/${conversation.id}`
const membersUrl = `/api/teams/${conversation.teamId}/members`

function member(role: Role) {
  const { id, name } = userOf(role)
  return { id, name, role }
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
})

/** Answers an action with the conversation as the body changes it, the way the server would. */
function answerWith(change: (body: Record<string, unknown>) => Partial<ConversationSummary>) {
  return ({ body }: { body: unknown }) => [200, { ...conversation, ...change(body as Record<string, unknown>) }] as [number, unknown]
}

async function renderAs(role: Role, options: Parameters<typeof arrangeOpenConversation>[1] = {}) {
  useStore.getState().startSession(sessionOf(role))
  arrangeOpenConversation(api, options)
  render(<ConversationPane />)
  return screen.findByRole('group', { name: 'Conversation actions' })
}

describe('ConversationHeader', () => {
  it('lets an agent assign the conversation to themselves, then unassign it', async () => {
    const user = userEvent.setup()
    api.on(
      'POST',
      assignUrl,
      answerWith(({ assigneeId }) => ({ assignee: assigneeId ? { id: agent.id, name: agent.name } : null })),
    )
    const actions = await renderAs('agent')
    expect(screen.getByText('Unassigned')).toBeInTheDocument()
    expect(within(actions).queryByRole('combobox')).not.toBeInTheDocument()

    await user.click(within(actions).getByRole('button', { name: 'Assign to me' }))

    expect(await screen.findByText('Maya Agent')).toBeInTheDocument()
    expect(screen.getByLabelText('Conversation state')).toHaveTextContent('Assigned to Maya Agent')
    await user.click(within(actions).getByRole('button', { name: 'Unassign' }))
    await waitFor(() => expect(screen.getByLabelText('Conversation state')).toHaveTextContent('Unassigned'))
    expect(api.requests('POST', assignUrl).map((r) => r.body)).toEqual([{ assigneeId: agent.id }, { assigneeId: null }])
  })

  it('gives a team lead only "Assign to me" when the team’s members cannot be loaded', async () => {
    api.on('GET', membersUrl, [500, { error: { code: 'internal', message: 'Something broke' } }])
    const actions = await renderAs('lead')

    await waitFor(() => expect(api.requests('GET', membersUrl)).toHaveLength(1))
    expect(within(actions).getByRole('button', { name: 'Assign to me' })).toBeInTheDocument()
    expect(within(actions).queryByRole('combobox')).not.toBeInTheDocument()
  })

  it('lets a team lead pick anyone who can work the conversation: its team’s members and the admins', async () => {
    const user = userEvent.setup()
    api.on('GET', membersUrl, [200, { items: [member('admin'), member('lead'), member('agent')] }])
    api.on(
      'POST',
      assignUrl,
      answerWith(() => ({ assignee: { id: agent.id, name: agent.name } })),
    )
    const actions = await renderAs('lead')

    const select = await within(actions).findByRole('combobox', { name: 'Assignee' })
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Unassigned', 'Ada Admin', 'Lee Lead', 'Maya Agent'])
    await user.selectOptions(select, 'Maya Agent')

    await waitFor(() => expect(screen.getByLabelText('Conversation state')).toHaveTextContent('Assigned to Maya Agent'))
    expect(api.requests('POST', assignUrl)[0]?.body).toEqual({ assigneeId: agent.id })
    expect(select).toHaveValue(agent.id)
    expect(api.requests('GET', '/api/users')).toHaveLength(0)
  })

  it('does not ask an agent for the team’s members', async () => {
    const actions = await renderAs('agent')

    expect(within(actions).getByRole('button', { name: 'Assign to me' })).toBeInTheDocument()
    expect(api.requests('GET', membersUrl)).toHaveLength(0)
  })

  it('changes the priority through the update route', async () => {
    const user = userEvent.setup()
    api.on(
      'PATCH',
      updateUrl,
      answerWith((body) => body as Partial<ConversationSummary>),
    )
    await renderAs('agent')

    await user.selectOptions(screen.getByRole('combobox', { name: 'Conversation priority' }), 'Urgent priority')

    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Conversation priority' })).toHaveValue('urgent'))
    expect(api.requests('PATCH', updateUrl).map((r) => r.body)).toEqual([{ priority: 'urgent' }])
  })

  it('adds a tag, lower-cased and without spaces, and removes one', async () => {
    const user = userEvent.setup()
    api.on(
      'PATCH',
      updateUrl,
      answerWith((body) => body as Partial<ConversationSummary>),
    )
    await renderAs('agent', { conversation: conversationOf({ tags: ['refund'] }) })
    const tags = screen.getByRole('group', { name: 'Conversation tags' })

    await user.type(within(tags).getByRole('textbox', { name: 'Add a conversation tag' }), 'Late Delivery{Enter}')

    expect(await within(tags).findByText('late-delivery')).toBeInTheDocument()
    await user.click(within(tags).getByRole('button', { name: 'Remove tag refund' }))
    await waitFor(() => expect(within(tags).queryByText('refund')).not.toBeInTheDocument())
    expect(api.requests('PATCH', updateUrl).map((r) => r.body)).toEqual([{ tags: ['refund', 'late-delivery'] }, { tags: ['late-delivery'] }])
  })

  it('resolves and reopens through the status route', async () => {
    const user = userEvent.setup()
    api.on(
      'POST',
      statusUrl,
      answerWith(({ status }) => ({ status: status as ConversationSummary['status'] })),
    )
    const actions = await renderAs('agent')

    await user.click(within(actions).getByRole('button', { name: 'Resolve' }))

    expect(await within(actions).findByRole('button', { name: 'Reopen' })).toBeInTheDocument()
    expect(screen.getByLabelText('Conversation state')).toHaveTextContent('Resolved')
    await user.click(within(actions).getByRole('button', { name: 'Reopen' }))
    expect(await within(actions).findByRole('button', { name: 'Resolve' })).toBeInTheDocument()
    expect(api.requests('POST', statusUrl).map((r) => r.body)).toEqual([{ status: 'resolved' }, { status: 'open' }])
  })

  it('snoozes for an hour and shows until when', async () => {
    const user = userEvent.setup()
    api.on(
      'POST',
      statusUrl,
      answerWith(({ status, snoozedUntil }) => ({ status: status as 'snoozed', snoozedUntil: snoozedUntil as string })),
    )
    const actions = await renderAs('agent')

    await user.click(within(actions).getByRole('button', { name: 'Snooze…' }))
    await user.click(within(actions).getByRole('button', { name: '1 hour' }))

    await waitFor(() => expect(screen.getByLabelText('Conversation state')).toHaveTextContent(/Snoozed\s*until/))
    const body = api.requests('POST', statusUrl)[0]?.body as { status: string; snoozedUntil: string }
    expect(body.status).toBe('snoozed')
    expect(Math.abs(Date.parse(body.snoozedUntil) - Date.now() - 3_600_000)).toBeLessThan(60_000)
  })

  it('says why an action was refused', async () => {
    const user = userEvent.setup()
    api.on('POST', assignUrl, [403, { error: { code: 'forbidden', message: 'Agents may only assign themselves' } }])
    const actions = await renderAs('agent')

    await user.click(within(actions).getByRole('button', { name: 'Assign to me' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('Agents may only assign themselves')
  })
})

describe('MessageThread in a conversation', () => {
  it('shows why a reply failed and sends it again with Retry', async () => {
    const user = userEvent.setup()
    const failed = messageOf({
      direction: 'outbound',
      authorKind: 'agent',
      agent: { id: agent.id, name: agent.name },
      text: 'Your refund is on its way',
      status: 'failed',
      error: 'Message failed to send because more than 24 hours have passed',
    })
    api.on('POST', `/api/messages/${failed.id}/retry`, [200, { ...failed, status: 'queued', error: null }])
    await renderAs('agent', { messages: [failed] })

    const thread = await screen.findByRole('list', { name: 'Messages' })
    expect(within(thread).getByText('Message failed to send because more than 24 hours have passed')).toBeInTheDocument()
    await user.click(within(thread).getByRole('button', { name: 'Retry' }))

    expect(await within(thread).findByText('queued')).toBeInTheDocument()
    expect(within(thread).queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument()
    expect(api.requests('POST', `/api/messages/${failed.id}/retry`)).toHaveLength(1)
  })

  it('says so when a retry is refused', async () => {
    const user = userEvent.setup()
    const failed = messageOf({ direction: 'outbound', authorKind: 'agent', text: 'Hello', status: 'failed', error: 'Rate limited' })
    api.on('POST', `/api/messages/${failed.id}/retry`, [409, { error: { code: 'conflict', message: 'Already sent' } }])
    await renderAs('agent', { messages: [failed] })

    await user.click(await screen.findByRole('button', { name: 'Retry' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not retry: Already sent')
  })
})

describe('TransferControl', () => {
  it("moves the conversation to another team, and closes it when that team is not the agent's", async () => {
    const user = userEvent.setup()
    const billing = { id: '7a5b2c10-0000-4000-8000-00000000b111', name: 'Billing' }
    api.on('GET', '/api/teams/directory', [200, { items: [{ id: conversation.teamId, name: 'Support' }, billing] }])
    api.on(
      'POST',
      `/api/conversations/${conversation.id}/transfer`,
      answerWith(({ teamId }) => ({ teamId: teamId as string, assignee: null })),
    )
    await renderAs('agent')

    const select = await screen.findByRole('combobox', { name: 'Move to another team' })
    expect(within(select).queryByRole('option', { name: 'Support' })).not.toBeInTheDocument()
    await user.selectOptions(select, billing.id)

    await waitFor(() => expect(api.requests('POST', `/api/conversations/${conversation.id}/transfer`).map((r) => r.body)).toEqual([{ teamId: billing.id }]))
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Conversation actions' })).not.toBeInTheDocument())
  })
})
