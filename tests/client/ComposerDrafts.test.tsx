import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, customerOf, messageOf, otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'

const conversation = conversationOf()
const draftUrl = (id: string) => `/api/conversations/${id}/draft`
const repliesUrl = `/api/conversations/${conversation.id}/replies`
const maya = { id: userOf('agent').id, name: userOf('agent').name }

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('PUT', draftUrl(conversation.id), ({ body }) => [200, { draft: { ...(body as object), updatedAt: new Date().toISOString() } }])
  api.on('PUT', draftUrl(otherConversationId), [200, { draft: null }])
  useStore.getState().startSession(sessionOf('agent'))
})

describe('Composer drafts', () => {
  it('shows the draft the server kept, in the mode it was written in', async () => {
    arrangeOpenConversation(api, { conversation })
    api.on('GET', `/api/conversations/${conversation.id}`, [
      200,
      { conversation, customer: customerOf(), draft: { text: 'Asked the warehouse', mode: 'note', updatedAt: '2026-03-02T09:00:00.000Z' } },
    ])

    render(<ConversationPane />)

    expect(await screen.findByRole('textbox', { name: 'Note' })).toHaveValue('Asked the warehouse')
    expect(screen.getByRole('tab', { name: 'Note' })).toHaveAttribute('aria-selected', 'true')
  })

  it('saves once typing pauses, and deletes the draft when the text is cleared', async () => {
    const user = userEvent.setup()
    arrangeOpenConversation(api, { conversation })
    render(<ConversationPane />)
    const box = await screen.findByRole('textbox', { name: 'Reply' })

    await user.type(box, 'Your parcel')

    await waitFor(() => expect(api.requests('PUT', draftUrl(conversation.id))).toHaveLength(1), { timeout: 2000 })
    expect(api.requests('PUT', draftUrl(conversation.id))[0]?.body).toEqual({ text: 'Your parcel', mode: 'reply' })
    await user.clear(box)
    await waitFor(() => expect(api.requests('PUT', draftUrl(conversation.id))).toHaveLength(2), { timeout: 2000 })
    expect(api.requests('PUT', draftUrl(conversation.id))[1]?.body).toEqual({ text: '', mode: 'reply' })
  })

  it('saves at once when switching to another conversation', async () => {
    const user = userEvent.setup()
    arrangeOpenConversation(api, { conversation })
    render(<ConversationPane />)
    await user.type(await screen.findByRole('textbox', { name: 'Reply' }), 'Half-written')

    act(() => void arrangeOpenConversation(api, { conversation: conversationOf({ id: otherConversationId }) }))

    expect(api.requests('PUT', draftUrl(conversation.id)).map((r) => r.body)).toEqual([{ text: 'Half-written', mode: 'reply' }])
    expect(api.requests('PUT', draftUrl(otherConversationId))).toHaveLength(0)
  })
})

describe('Composer crossing check', () => {
  const seen = messageOf({ text: 'Where is my order?' })
  const crossed = [409, { error: { code: 'crossed_reply', message: 'Kim Lee replied since you last looked. Send anyway?' } }] as [number, unknown]

  async function sendCrossingReply() {
    const user = userEvent.setup()
    let calls = 0
    api.on('POST', repliesUrl, ({ body }) => {
      calls += 1
      if (calls === 1) return crossed
      const { text } = body as { text: string }
      return [200, messageOf({ text, direction: 'outbound', authorKind: 'agent', agent: maya, status: 'queued', sentAt: new Date().toISOString() })]
    })
    arrangeOpenConversation(api, { conversation, messages: [seen] })
    render(<ConversationPane />)
    await screen.findByText('Where is my order?')
    const box = screen.getByRole('textbox', { name: 'Reply' })
    await user.type(box, 'On it{Control>}{Enter}{/Control}')
    return { user, box, alert: await screen.findByRole('alert') }
  }

  it('sends the newest message seen, and asks before sending over a teammate’s reply', async () => {
    const { user, alert } = await sendCrossingReply()

    expect(alert).toHaveTextContent('Kim Lee replied since you last looked. Send anyway?')
    await user.click(within(alert).getByRole('button', { name: 'Send anyway' }))

    const thread = screen.getByRole('list', { name: 'Messages' })
    expect(await within(thread).findByText('On it')).toBeInTheDocument()
    const [first, second] = api.requests('POST', repliesUrl).map((r) => r.body as Record<string, unknown>)
    expect(first).toEqual({ text: 'On it', clientKey: expect.any(String), seenUpTo: seen.id })
    expect(second).toEqual({ text: 'On it', clientKey: first?.clientKey, seenUpTo: seen.id, confirmCrossing: true })
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('keeps the reply unsent on Cancel', async () => {
    const { user, box, alert } = await sendCrossingReply()

    await user.click(within(alert).getByRole('button', { name: 'Cancel' }))

    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(box).toHaveValue('On it')
    expect(api.requests('POST', repliesUrl)).toHaveLength(1)
  })
})
