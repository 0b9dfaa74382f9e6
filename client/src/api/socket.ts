import type { ClientToServerEvents, ServerToClientEvents } from '@carebox/shared'
import { io, type Socket } from 'socket.io-client'
import { useStore, type AppState } from '../store/store'

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/**
 * Connects the console to the server's live events and routes each to a store action. After a drop, the
 * reconnect refetches what is on screen, so nothing that happened while offline is missed.
 */
export function connectSocket(): ConsoleSocket {
  const socket: ConsoleSocket = io({ path: '/socket.io', transports: ['websocket'] })
  const store = () => useStore.getState()
  socket.on('connect', () => {
    store().setConnected(true)
    if (socket.recovered) return
    void store().loadConversations()
    const open = store().openConversationId
    if (open) void store().loadMessages(open)
  })
  // The server refuses the handshake of a socket whose session cookie is missing, expired or revoked.
  socket.on('connect_error', (error) => {
    if (error.message === 'unauthorized') store().endSession()
  })
  socket.on('disconnect', (reason) => {
    store().setConnected(false)
    if (reason !== 'io server disconnect') return
    // The server closes a socket when its session ends (signed out elsewhere, user deactivated) and also when it
    // shuts down; socket.io does not reconnect after either. Ask which: a 401 ends the session, anything else retries.
    void store()
      .loadSession()
      .then(() => {
        if (store().sessionStatus === 'signedIn' && socket.disconnected) socket.connect()
      })
  })
  socket.on('message.created', ({ conversation, message }) => store().receiveMessage(conversation, message))
  socket.on('message.updated', ({ message }) => store().updateMessage(message))
  socket.on('conversation.updated', ({ conversation }) => store().upsertConversation(conversation))
  socket.on('channel.updated', () => {
    if (store().channels !== null) void store().loadChannels()
  })
  return socket
}

/**
 * Keeps the live connection in step with the session: connected only while someone is signed in, and opened
 * afresh when the signed-in user changes (the socket authenticates once, at its handshake). Returns a stop function.
 */
export function syncSocketWithSession(): () => void {
  let socket: ConsoleSocket | null = null
  let userId: string | null = null
  const sync = (state: AppState) => {
    const signedInAs = state.sessionStatus === 'signedIn' ? (state.session?.user.id ?? null) : null
    if (signedInAs === userId) return
    userId = signedInAs
    socket?.disconnect()
    socket = signedInAs ? connectSocket() : null
  }
  sync(useStore.getState())
  const unsubscribe = useStore.subscribe(sync)
  return () => {
    unsubscribe()
    socket?.disconnect()
  }
}
