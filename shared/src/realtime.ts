import type { ConversationSummary, Message, Teammate } from './conversations.js'
import type { SurgeAlert } from './reports.js'
import type { Presence } from './routing.js'
import type { SystemHealth } from './system.js'

/** Something that wants a teammate's attention: shown as a browser notification. */
export interface Notification {
  /**
   * sla: a rule's warning about a deadline; rule: another rule asked to tell you; follow_up: one of yours is due;
   * low_rating: a customer of your team rated a conversation 1 or 2 (to leads); webhook_disabled: a webhook endpoint
   * was disabled (410 Gone, or failing for days; to admins; `conversationId` is empty, `preview` names it).
   */
  kind: 'assigned' | 'mentioned' | 'sla' | 'rule' | 'follow_up' | 'low_rating' | 'webhook_disabled'
  conversationId: string
  /** Null when Carebox itself did it (auto-assignment, a rule). */
  by: Teammate | null
  /** What the note said, or the conversation's latest message. */
  preview: string
}

/** Every event the server pushes to the console, named `entity.verb` in the past tense. */
export interface ServerToClientEvents {
  'message.created': (payload: { conversation: ConversationSummary; message: Message }) => void
  'message.updated': (payload: { message: Message }) => void
  'conversation.updated': (payload: { conversation: ConversationSummary }) => void
  'channel.updated': (payload: { channelId: string }) => void
  /** To one user. */
  'notification.created': (payload: Notification) => void
  /** Teammates with the conversation open right now (to everyone watching it). */
  'conversation.viewers': (payload: { conversationId: string; viewers: Teammate[] }) => void
  /** A teammate is writing in the conversation (to everyone else watching it). */
  'conversation.typing': (payload: { conversationId: string; user: Teammate; mode: 'reply' | 'note' }) => void
  /** A teammate went online, away or offline (to their teams). */
  'presence.updated': (payload: { userId: string; presence: Presence }) => void
  /** More messages than usual, or more complaints, on a channel or tag (to the team; consoles show it to leads). */
  'surge.detected': (payload: SurgeAlert) => void
  /** This node lost or regained its database or its job worker (to every console connected to it). */
  'system.health': (payload: SystemHealth) => void
}

/** Every event a console sends. Each is checked on the server against the sender's teams before it has effect. */
export interface ClientToServerEvents {
  /** The conversation this console has open (null: none). Joins its room once the server allows it. */
  'conversation.watch': (payload: { conversationId: string | null }) => void
  'conversation.typing': (payload: { conversationId: string; mode: 'reply' | 'note' }) => void
  /** Whether this console has seen keyboard or pointer activity in the last few minutes. */
  'presence.activity': (payload: { active: boolean }) => void
  /**
   * Every 15 s while the watched conversation's thread is open and in focus and the person typed, pointed or
   * clicked in the last minute: the working time the cost report counts (one minute per person at most).
   */
  'conversation.working': (payload: { conversationId: string }) => void
}

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
  /** Consoles that have the conversation open: joined only after the server checks the conversation's team. */
  conversation: (id: string) => `conversation:${id}`,
}

/** Where events about a channel of this team go. */
export function teamAudience(teamId: string): string[] {
  return [rooms.team(teamId), rooms.allTeams()]
}
