import type { ClientToServerEvents, ServerToClientEvents } from '@carebox/shared'
import { io, type Socket } from 'socket.io-client'
import { useStore } from '../store/store'

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
  socket.on('disconnect', () => store().setConnected(false))
  socket.on('message.created', ({ conversation, message }) => store().receiveMessage(conversation, message))
  socket.on('message.updated', ({ message }) => store().updateMessage(message))
  socket.on('conversation.updated', ({ conversation }) => store().upsertConversation(conversation))
  socket.on('channel.updated', () => {
    if (store().channels !== null) void store().loadChannels()
  })
  return socket
}
