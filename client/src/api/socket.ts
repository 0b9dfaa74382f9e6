import type { ClientToServerEvents, ServerToClientEvents } from '@carebox/shared'
import { io, type Socket } from 'socket.io-client'
import { selectOpenConversationId } from '../store/router.slice'
import { useStore, type AppState } from '../store/store'

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** The signed-in console's live connection, if any: what the console tells teammates goes out through it. */
let current: ConsoleSocket | null = null
/** Whether this console has seen the person lately, as last told to the server (said again on every connect). */
let isActive = true

/**
 * Connects the console to the server's live events and routes each to a store action. After a drop, the
 * reconnect refetches what is on screen, so nothing that happened while offline is missed.
 */
export function connectSocket(): ConsoleSocket {
  const socket: ConsoleSocket = io({ path: '/socket.io', transports: ['websocket'] })
  const store = () => useStore.getState()
  socket.on('connect', () => {
    store().setConnected(true)
    // Every connection starts watching nothing on the server: say again which conversation is open.
    socket.emit('conversation.watch', { conversationId: selectOpenConversationId(store()) })
    // The server counts a person online while one of their consoles is active: each connection says where it stands.
    socket.emit('presence.activity', { active: isActive })
    // The node may have lost or regained its database while this console was away: ask, recovered or not.
    void store().loadHealth()
    if (socket.recovered) return
    void store().resync()
    void store().loadOwnPresence()
  })
  // The server refuses the handshake of a socket whose session cookie is missing, expired or revoked.
  socket.on('connect_error', (error) => {
    if (error.message === 'unauthorized') store().endSession()
  })
  socket.on('disconnect', (reason) => {
    store().setConnected(false)
    store().clearPresence()
    if (reason !== 'io server disconnect') return
    // The server closes a socket when its session ends (signed out elsewhere, user deactivated) and also when it
    // shuts down; socket.io does not reconnect after either. Ask which: a 401 ends the session, anything else retries.
    void store()
      .loadSession()
      .then(() => {
        if (store().sessionStatus === 'signedIn' && socket.disconnected) socket.connect()
      })
  })
  // These three also move the live figures of an open wallboard.
  socket.on('message.created', ({ conversation, message }) => {
    store().receiveMessage(conversation, message)
    store().noteLiveActivity()
  })
  socket.on('message.updated', ({ message }) => store().updateMessage(message))
  socket.on('conversation.updated', ({ conversation }) => {
    store().upsertConversation(conversation, 'live')
    store().noteLiveActivity()
  })
  socket.on('channel.updated', ({ channelId }) => {
    if (store().channels !== null) void store().loadChannels()
    // A template's status changed on the platform: a composer showing them greys it out (or offers it) at once.
    if (store().templatesByChannel[channelId]) void store().loadTemplates(channelId)
  })
  socket.on('notification.created', (notification) => store().receiveNotification(notification))
  socket.on('conversation.viewers', ({ conversationId, viewers }) => store().setViewers(conversationId, viewers))
  socket.on('presence.updated', ({ userId, presence }) => {
    store().receivePresence(userId, presence)
    store().noteLiveActivity()
  })
  socket.on('system.health', (health) => store().receiveHealth(health))
  socket.on('surge.detected', (surge) => store().receiveSurge(surge))
  socket.on('conversation.typing', ({ conversationId, user, mode }) => {
    // Your own other tabs are not a teammate typing.
    if (user.id !== store().session?.user.id) store().receiveTyping(conversationId, user, mode)
  })
  return socket
}

/** Tells the server which conversation is open whenever that changes (it sends its viewers and typing to those watching). */
function watchOpenConversation(socket: ConsoleSocket): () => void {
  let watching = selectOpenConversationId(useStore.getState())
  return useStore.subscribe((state) => {
    const open = selectOpenConversationId(state)
    if (open === watching) return
    const previous = watching
    watching = open
    // No longer told who else has it open: the list would only go stale.
    if (previous) state.setViewers(previous, [])
    // While offline, the connect handler says it once connected.
    if (socket.connected) socket.emit('conversation.watch', { conversationId: open })
  })
}

const workingIntervalMs = 15_000
const workingInputMs = 60_000
/** Signs of the person at work: typing (the composer included), pointing, clicking, scrolling the thread. */
const workingInputEvents = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const

/**
 * The working-time heartbeat the cost report counts: every 15 s, while a conversation is open, this tab is visible
 * and focused, and the person typed, pointed or clicked in the last minute, tells the server they are working in
 * it. Here, beside the watch, because the server only accepts it for the conversation this socket watches.
 */
function reportWorking(socket: ConsoleSocket): () => void {
  let lastInputAt = Number.NEGATIVE_INFINITY
  const onInput = () => {
    lastInputAt = Date.now()
  }
  for (const event of workingInputEvents) window.addEventListener(event, onInput, { passive: true, capture: true })
  const timer = setInterval(() => {
    const open = selectOpenConversationId(useStore.getState())
    if (!open || !socket.connected || document.visibilityState !== 'visible' || !document.hasFocus()) return
    if (Date.now() - lastInputAt > workingInputMs) return
    socket.emit('conversation.working', { conversationId: open })
  }, workingIntervalMs)
  return () => {
    clearInterval(timer)
    for (const event of workingInputEvents) window.removeEventListener(event, onInput, { capture: true })
  }
}

const typingIntervalMs = 2000
let lastTyping: { key: string; at: number } | null = null

/** Tells teammates with the conversation open that you are writing in it: at most once every 2 s. */
export function announceTyping(conversationId: string, mode: 'reply' | 'note'): void {
  if (!current?.connected) return
  const key = `${conversationId}:${mode}`
  const now = Date.now()
  if (lastTyping?.key === key && now - lastTyping.at < typingIntervalMs) return
  lastTyping = { key, at: now }
  current.emit('conversation.typing', { conversationId, mode })
}

/**
 * Tells the server whether the person is at this console (keyboard, pointer) or has been away from it a while;
 * it turns them away, and back online, from that. Sent only when it changes.
 */
export function reportActivity(active: boolean): void {
  if (active === isActive) return
  isActive = active
  if (current?.connected) current.emit('presence.activity', { active })
}

/**
 * Keeps the live connection in step with the session: connected only while someone is signed in, and opened
 * afresh when the signed-in user changes (the socket authenticates once, at its handshake). Returns a stop function.
 */
export function syncSocketWithSession(): () => void {
  let userId: string | null = null
  let stopWatching = () => {}
  const close = () => {
    stopWatching()
    current?.disconnect()
    current = null
    // The next session starts with someone at the console: they just signed in.
    isActive = true
  }
  const sync = (state: AppState) => {
    const signedInAs = state.sessionStatus === 'signedIn' ? (state.session?.user.id ?? null) : null
    if (signedInAs === userId) return
    userId = signedInAs
    close()
    if (!signedInAs) return
    current = connectSocket()
    const stops = [watchOpenConversation(current), reportWorking(current)]
    stopWatching = () => stops.forEach((stop) => stop())
  }
  sync(useStore.getState())
  const unsubscribe = useStore.subscribe(sync)
  return () => {
    unsubscribe()
    close()
  }
}
