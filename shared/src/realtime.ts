import type { ConversationSummary, Message } from './conversations.js'

/** Every event the server pushes to the console, named `entity.verb` in the past tense. */
export interface ServerToClientEvents {
  'message.created': (payload: { conversation: ConversationSummary; message: Message }) => void
  'message.updated': (payload: { message: Message }) => void
  'conversation.updated': (payload: { conversation: ConversationSummary }) => void
  'channel.updated': (payload: { channelId: string }) => void
}

export type ClientToServerEvents = Record<string, never>

export type ServerEventName = keyof ServerToClientEvents
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0]

export const rooms = {
  /** Every agent's console: conversation list updates. */
  inbox: () => 'inbox',
  conversation: (id: string) => `conversation:${id}`,
}
