import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, listUrl, messageOf } from './conversation-fixtures'
import { fakeApi, sessionOf, unauthorized } from './fake-api'
import type { FakeSocket } from './fake-socket'

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

describe('syncSocketWithSession', () => {
  it('connects only once someone is signed in', () => {
    expect(sockets).toHaveLength(0)

    useStore.getState().startSession(sessionOf('agent'))

    expect(sockets).toHaveLength(1)
  })

  it('disconnects when the session ends', () => {
    useStore.getState().startSession(sessionOf('agent'))

    useStore.getState().endSession()

    expect(sockets[0]?.disconnect).toHaveBeenCalled()
  })

  it('returns to the sign-in page when the server refuses the handshake', () => {
    useStore.getState().startSession(sessionOf('agent'))

    sockets[0]?.receive('connect_error', new Error('unauthorized'))

    expect(useStore.getState().sessionStatus).toBe('signedOut')
    expect(sockets[0]?.disconnect).toHaveBeenCalled()
  })

  it('keeps the session on other connection errors', () => {
    useStore.getState().startSession(sessionOf('agent'))

    sockets[0]?.receive('connect_error', new Error('websocket error'))

    expect(useStore.getState().sessionStatus).toBe('signedIn')
  })

  it('returns to the sign-in page when the server closed the socket because the session ended', async () => {
    api.on('GET', '/api/auth/me', unauthorized)
    useStore.getState().startSession(sessionOf('agent'))

    sockets[0]?.receive('disconnect', 'io server disconnect')

    await vi.waitFor(() => expect(useStore.getState().sessionStatus).toBe('signedOut'))
    expect(sockets[0]?.connect).not.toHaveBeenCalled()
  })

  it('reconnects when the server closed the socket but the session is still good', async () => {
    api.on('GET', '/api/auth/me', [200, sessionOf('agent')])
    useStore.getState().startSession(sessionOf('agent'))
    sockets[0]?.disconnect()

    sockets[0]?.receive('disconnect', 'io server disconnect')

    await vi.waitFor(() => expect(sockets[0]?.connect).toHaveBeenCalled())
    expect(useStore.getState().sessionStatus).toBe('signedIn')
    expect(sockets).toHaveLength(1)
  })

  it('opens a fresh socket when another user signs in', () => {
    useStore.getState().startSession(sessionOf('agent'))

    useStore.getState().startSession(sessionOf('admin'))

    expect(sockets).toHaveLength(2)
    expect(sockets[0]?.disconnect).toHaveBeenCalled()
  })

  it('refetches the list with its view and the open conversation when it reconnects', async () => {
    useStore.getState().startSession(sessionOf('agent'))
    useStore.setState({ listFilters: { ...useStore.getState().listFilters, view: 'mine' } })
    api.on('GET', listUrl({ view: 'mine' }), [200, { items: [conversationOf()], nextCursor: null }])
    const open = arrangeOpenConversation(api)

    sockets[0]?.receive('connect')

    await vi.waitFor(() => expect(useStore.getState().conversationOrder).toEqual([open.id]))
    expect(api.requests('GET', listUrl({ view: 'mine' }))).toHaveLength(1)
    await vi.waitFor(() => expect(api.requests('GET', `/api/conversations/${open.id}/messages`)).toHaveLength(1))
    expect(api.requests('GET', `/api/conversations/${open.id}`)).toHaveLength(1)
    expect(useStore.getState().connected).toBe(true)
  })

  it('refetches nothing but the node’s health when the connection recovered every missed event', () => {
    useStore.getState().startSession(sessionOf('agent'))
    sockets[0]!.recovered = true

    sockets[0]?.receive('connect')

    expect(api.fetchMock.mock.calls.map(([url]) => String(url))).toEqual(['/healthz'])
  })

  it('routes live events to the store', async () => {
    useStore.getState().startSession(sessionOf('agent'))
    const conversation = conversationOf()
    api.on('GET', `/api/conversations/${conversation.id}/messages`, [200, { items: [] }])
    await useStore.getState().loadMessages(conversation.id)
    const message = messageOf({ status: 'queued', direction: 'outbound', authorKind: 'agent' })

    sockets[0]?.receive('message.created', { conversation, message })
    sockets[0]?.receive('message.updated', { message: { ...message, status: 'read' } })
    sockets[0]?.receive('conversation.updated', { conversation: { ...conversation, priority: 'urgent' } })

    expect(useStore.getState().messagesByConversation[conversation.id]).toEqual([{ ...message, status: 'read' }])
    expect(useStore.getState().conversationsById[conversation.id]?.priority).toBe('urgent')
  })
})
