import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, customerOf, hoursAgo, messageOf, otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const maya = { id: userOf('agent').id, name: userOf('agent').name }
const repliesUrl = (id: string) => `/api/conversations/${id}/replies`
const whatsapp = { id: crypto.randomUUID(), kind: 'whatsapp' as const, name: 'Acme on WhatsApp' }

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

/** Echoes a reply or note back as the server stores it: queued, written by the signed-in agent. */
function echo(kind: 'message' | 'note') {
  return ({ body }: { body: unknown }) => {
    const { text } = body as { text: string }
    return [
      200,
      messageOf({
        kind,
        text,
        direction: 'outbound',
        authorKind: 'agent',
        agent: maya,
        status: kind === 'note' ? 'sent' : 'queued',
        sentAt: new Date().toISOString(),
      }),
    ] as [number, unknown]
  }
}

async function renderComposer(conversation = conversationOf()) {
  arrangeOpenConversation(api, { conversation })
  render(<ConversationPane />)
  return screen.findByRole('textbox', { name: 'Reply' })
}

/** A WhatsApp conversation whose 24-hour window closed: its composer has no reply box. */
async function renderClosedWhatsApp(conversation = conversationOf({ channel: whatsapp, lastInboundAt: hoursAgo(25) })) {
  arrangeOpenConversation(api, { conversation })
  render(<ConversationPane />)
  await screen.findByRole('form', { name: 'Composer' })
  return conversation
}

describe('Composer', () => {
  it('counts characters against the limit and turns red past it, with Send disabled', async () => {
    const user = userEvent.setup()
    const box = await renderComposer()

    await user.type(box, 'Hello there!')
    expect(screen.getByText('12 / 2000')).not.toHaveClass('counter-over')
    expect(screen.getByRole('button', { name: 'Send' })).toBeEnabled()

    await user.clear(box)
    await user.click(box)
    await user.paste('x'.repeat(2001))

    expect(screen.getByText('2001 / 2000')).toHaveClass('counter-over')
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
  })

  it('disables Send while the draft is empty', async () => {
    await renderComposer()

    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
  })

  it('explains a closed WhatsApp window and offers a template instead of a reply that cannot go out', async () => {
    await renderClosedWhatsApp()

    expect(screen.getByText(/WhatsApp's 24-hour window has closed/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Send a template' })).toBeInTheDocument()
    expect(screen.queryByRole('textbox', { name: 'Reply' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Send' })).not.toBeInTheDocument()
  })

  it('warns that a late Messenger reply goes out as a human agent reply', async () => {
    await renderComposer(conversationOf({ lastInboundAt: hoursAgo(30) }))

    expect(screen.getByText(/^Sent as a human agent reply \(HUMAN_AGENT tag\), possible until/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
  })

  it('shows no window for a public comment thread', async () => {
    await renderComposer(conversationOf({ kind: 'public', lastInboundAt: hoursAgo(24 * 10) }))

    expect(screen.queryByText(/Window closes|human agent|window has closed/)).not.toBeInTheDocument()
    expect(screen.getByText('0 / 8000')).toBeInTheDocument()
  })

  it('sends once on Ctrl+Enter with a client key, and shows the reply at once, then its delivery', async () => {
    const user = userEvent.setup()
    api.on('POST', repliesUrl(conversationOf().id), echo('message'))
    const box = await renderComposer()

    await user.type(box, 'Your parcel ships today{Control>}{Enter}{/Control}')

    const thread = screen.getByRole('list', { name: 'Messages' })
    expect(await within(thread).findByText('Your parcel ships today')).toBeInTheDocument()
    expect(within(thread).getByText('queued')).toBeInTheDocument()
    const requests = api.requests('POST', repliesUrl(conversationOf().id))
    expect(requests).toHaveLength(1)
    expect(requests[0]?.body).toEqual({ text: 'Your parcel ships today', clientKey: expect.stringMatching(uuid) })
    expect(box).toHaveValue('')

    const sent = useStore.getState().messagesByConversation[conversationOf().id]?.[0]
    useStore.getState().updateMessage({ ...sent!, status: 'delivered' })

    expect(await within(thread).findByText('delivered')).toBeInTheDocument()
  })

  it('sends on Cmd+Enter too', async () => {
    const user = userEvent.setup()
    api.on('POST', repliesUrl(conversationOf().id), echo('message'))
    const box = await renderComposer()

    await user.type(box, 'Hi{Meta>}{Enter}{/Meta}')

    expect(await screen.findByText('Hi')).toBeInTheDocument()
    expect(api.requests('POST', repliesUrl(conversationOf().id))).toHaveLength(1)
  })

  it('sends one request when Send is clicked twice', async () => {
    const user = userEvent.setup()
    let answer: (value: [number, unknown]) => void = () => {}
    api.on('POST', repliesUrl(conversationOf().id), ({ body }) => new Promise((resolve) => (answer = () => resolve(echo('message')({ body })))))
    const box = await renderComposer()
    await user.type(box, 'On my way')

    const send = screen.getByRole('button', { name: 'Send' })
    await user.dblClick(send)
    await user.click(send)
    answer([200, null])

    expect(await screen.findByText('On my way')).toBeInTheDocument()
    expect(api.requests('POST', repliesUrl(conversationOf().id))).toHaveLength(1)
  })

  it('sends the same client key again when a failed send is retried, and a new one once the text changes', async () => {
    const user = userEvent.setup()
    api.on('POST', repliesUrl(conversationOf().id), [503, { error: { code: 'unavailable', message: 'Server is restarting' } }])
    const box = await renderComposer()
    await user.type(box, 'Refund approved')

    await user.click(screen.getByRole('button', { name: 'Send' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Not sent: Server is restarting')
    await user.click(screen.getByRole('button', { name: 'Send' }))
    await user.type(box, '.')
    await user.click(screen.getByRole('button', { name: 'Send' }))

    await screen.findByRole('alert')
    const keys = api.requests('POST', repliesUrl(conversationOf().id)).map((r) => (r.body as { clientKey: string }).clientKey)
    expect(keys).toHaveLength(3)
    expect(keys[1]).toBe(keys[0])
    expect(keys[2]).not.toBe(keys[0])
    expect(box).toHaveValue('Refund approved.')
  })

  it('adds a private note without a limit or window, shown as a note', async () => {
    const user = userEvent.setup()
    const conversation = conversationOf({ channel: whatsapp, lastInboundAt: hoursAgo(50) })
    api.on('POST', `/api/conversations/${conversation.id}/notes`, echo('note'))
    await renderClosedWhatsApp(conversation)

    await user.click(screen.getByRole('tab', { name: 'Note' }))
    const box = screen.getByRole('textbox', { name: 'Note' })
    await user.type(box, 'Called her back instead')

    expect(screen.queryByText(/\d+ \/ \d+/)).not.toBeInTheDocument()
    expect(screen.queryByText(/window has closed/)).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Add note' }))

    const note = await screen.findByRole('listitem', { name: 'Private note' })
    expect(within(note).getByText('Called her back instead')).toBeInTheDocument()
    expect(note).toHaveTextContent('Note by Maya Agent')
    expect(api.requests('POST', `/api/conversations/${conversation.id}/notes`)[0]?.body).toEqual({
      text: 'Called her back instead',
      clientKey: expect.stringMatching(uuid),
    })
  })

  it('keeps each conversation’s draft while switching between them', async () => {
    const user = userEvent.setup()
    const box = await renderComposer()
    await user.type(box, 'Half-written answer')

    act(() => void arrangeOpenConversation(api, { conversation: conversationOf({ id: otherConversationId }), customer: customerOf() }))
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Reply' })).toHaveValue(''))
    act(() => void arrangeOpenConversation(api, { conversation: conversationOf() }))

    expect(await screen.findByDisplayValue('Half-written answer')).toBeInTheDocument()
  })
})
