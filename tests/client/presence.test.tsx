import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { syncSocketWithSession } from '../../client/src/api/socket'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { typingShownMs } from '../../client/src/store/presence.slice'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, messageOf, otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'
import type { FakeSocket } from './fake-socket'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

const conversation = conversationOf()
const me = { id: userOf('agent').id, name: userOf('agent').name }
const kim = { id: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009', name: 'Kim Lee' }

let api: ReturnType<typeof fakeApi>
let stop: () => void

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
  stop = syncSocketWithSession()
})

afterEach(() => stop())

/** Signed in with the conversation open and the socket connected. */
function connect(): FakeSocket {
  arrangeOpenConversation(api, { conversation })
  useStore.getState().startSession(sessionOf('agent'))
  const socket = sockets[0]!
  act(() => socket.receive('connect'))
  return socket
}

describe('conversation.watch', () => {
  it('says which conversation is open: on connecting, again after a reconnect, and whenever another opens', () => {
    const socket = connect()

    act(() => socket.receive('disconnect', 'transport close'))
    act(() => socket.receive('connect'))
    act(() => void arrangeOpenConversation(api, { conversation: conversationOf({ id: otherConversationId }) }))
    act(() => useStore.getState().navigate('/inbox'))

    expect(socket.sentAs('conversation.watch')).toEqual([
      { conversationId: conversation.id },
      { conversationId: conversation.id },
      { conversationId: otherConversationId },
      { conversationId: null },
    ])
  })

  it('says nothing while offline: the next connection says where the console is', () => {
    const socket = connect()
    act(() => socket.receive('disconnect', 'transport close'))

    act(() => void arrangeOpenConversation(api, { conversation: conversationOf({ id: otherConversationId }) }))
    act(() => socket.receive('connect'))

    expect(socket.sentAs('conversation.watch')).toEqual([{ conversationId: conversation.id }, { conversationId: otherConversationId }])
  })
})

describe('presence in the conversation', () => {
  it('shows the other teammates who have it open, never yourself', async () => {
    const socket = connect()
    render(<ConversationPane />)
    await screen.findByRole('group', { name: 'Conversation actions' })

    act(() => socket.receive('conversation.viewers', { conversationId: conversation.id, viewers: [me, kim] }))

    const viewers = screen.getByRole('group', { name: 'Also viewing' })
    expect(
      within(viewers)
        .getAllByRole('img')
        .map((a) => a.getAttribute('aria-label')),
    ).toEqual(['Kim Lee is viewing'])
    expect(viewers).toHaveTextContent('KL')
    act(() => socket.receive('conversation.viewers', { conversationId: conversation.id, viewers: [me] }))
    expect(screen.queryByRole('group', { name: 'Also viewing' })).not.toBeInTheDocument()
  })

  it('says who is typing what, until their message arrives', async () => {
    const socket = connect()
    render(<ConversationPane />)
    await screen.findByRole('textbox', { name: 'Reply' })

    act(() => socket.receive('conversation.typing', { conversationId: conversation.id, user: kim, mode: 'note' }))

    expect(screen.getByRole('status')).toHaveTextContent('Kim Lee is typing a note…')
    act(() =>
      socket.receive('message.created', {
        conversation,
        message: messageOf({ kind: 'note', agent: kim, direction: 'outbound', authorKind: 'agent', text: 'Done' }),
      }),
    )
    expect(screen.getByRole('status')).toHaveTextContent('')
  })

  it('ignores typing from your own other tabs', async () => {
    const socket = connect()
    render(<ConversationPane />)
    await screen.findByRole('textbox', { name: 'Reply' })

    act(() => socket.receive('conversation.typing', { conversationId: conversation.id, user: me, mode: 'reply' }))

    expect(screen.getByRole('status')).toHaveTextContent('')
  })

  it('forgets a typing teammate a few seconds after their last keystroke', () => {
    vi.useFakeTimers()
    try {
      useStore.getState().receiveTyping(conversation.id, kim, 'reply')

      vi.advanceTimersByTime(typingShownMs - 1)
      expect(useStore.getState().typistsByConversation[conversation.id]).toHaveLength(1)
      vi.advanceTimersByTime(1)
      expect(useStore.getState().typistsByConversation[conversation.id]).toEqual([])
    } finally {
      vi.useRealTimers()
    }
  })

  it('tells teammates you are typing, at most once every 2 seconds', async () => {
    const user = userEvent.setup()
    const socket = connect()
    render(<ConversationPane />)

    await user.type(await screen.findByRole('textbox', { name: 'Reply' }), 'Hello there')

    expect(socket.sentAs('conversation.typing')).toEqual([{ conversationId: conversation.id, mode: 'reply' }])
  })

  it('clears who is here when the connection drops', async () => {
    const socket = connect()
    render(<ConversationPane />)
    await screen.findByRole('group', { name: 'Conversation actions' })
    act(() => socket.receive('conversation.viewers', { conversationId: conversation.id, viewers: [kim] }))

    act(() => socket.receive('disconnect', 'transport close'))

    await waitFor(() => expect(screen.queryByRole('group', { name: 'Also viewing' })).not.toBeInTheDocument())
  })
})
