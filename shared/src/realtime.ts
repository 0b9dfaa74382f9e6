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

/**
 * Rooms are joined by the server only, from the signed-in user's role and teams: a console cannot ask to
 * join one. Events about a channel's conversations go to its team's room and to the admins' room.
 */
export const rooms = {
  team: (id: string) => `team:${id}`,
  /** Admins: every team's events. */
  allTeams: () => 'teams:all',
  /** Every console of one user: closed when they are deactivated or their role or teams change. */
  user: (id: string) => `user:${id}`,
  /** The consoles of one session: closed when it signs out. */
  session: (id: string) => `session:${id}`,
}

/** Where events about a channel of this team go. */
export function teamAudience(teamId: string): string[] {
  return [rooms.team(teamId), rooms.allTeams()]
}
