import type { ConversationSummary, CustomerPanel, FollowUp, Message, SlaTarget } from '@carebox/shared'
import { useStore } from '../../client/src/store/store'
import { support, type fakeApi } from './fake-api'

export const conversationId = '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a001'
export const otherConversationId = '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a002'
export const channelId = '5c2e1f00-0000-4000-8000-00000000c001'
const hourMs = 60 * 60 * 1000

/** An ISO time `hours` before now. */
export function hoursAgo(hours: number): string {
  return new Date(Date.now() - hours * hourMs).toISOString()
}

export function conversationOf(overrides: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id: conversationId,
    channel: { id: channelId, kind: 'facebook', name: 'Acme on Messenger' },
    kind: 'dm',
    status: 'open',
    subject: null,
    contact: { id: '9d8c7b6a-0000-4000-8000-00000000a001', name: 'Rosa Diaz', handle: 'rosa.d' },
    messageCount: 1,
    lastMessageAt: hoursAgo(1),
    lastMessagePreview: 'Where is my order?',
    lastInboundAt: hoursAgo(1),
    assignee: null,
    teamId: support.id,
    priority: 'normal',
    tags: [],
    snoozedUntil: null,
    unread: false,
    language: 'es',
    sla: null,
    ...overrides,
  }
}

export function messageOf(overrides: Partial<Message> = {}): Message {
  return {
    id: crypto.randomUUID(),
    conversationId,
    kind: 'message',
    agent: null,
    direction: 'inbound',
    authorKind: 'contact',
    author: null,
    text: '',
    attachments: [],
    status: 'received',
    error: null,
    reactions: [],
    sentAt: '2026-03-02T09:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    automated: false,
    ...overrides,
  }
}

export function customerOf(overrides: Partial<CustomerPanel> = {}): CustomerPanel {
  return {
    id: '9d8c7b6a-0000-4000-8000-00000000a001',
    name: 'Rosa Diaz',
    handle: 'rosa.d',
    language: 'es',
    firstSeenAt: '2025-11-02T09:00:00.000Z',
    lastSeenAt: hoursAgo(1),
    tags: [],
    attributes: {},
    notes: [],
    merges: [],
    identities: [{ channel: { id: channelId, kind: 'facebook', name: 'Acme on Messenger' }, externalId: '2718281828', name: 'Rosa Diaz', handle: 'rosa.d' }],
    conversations: [],
    ...overrides,
  }
}

/** The list route's URL for a query, as the console builds it. */
export function listUrl(query: Record<string, string> = {}): string {
  const params = new URLSearchParams({ view: 'open', ...query, limit: '50' })
  return `/api/conversations?${params.toString()}`
}

/** The list route's URL for a search, as the console builds it: a search looks past the views, so it names none. */
export function searchUrl(query: Record<string, string>): string {
  const params = new URLSearchParams({ ...query, limit: '50' })
  return `/api/conversations?${params.toString()}`
}

type FakeApi = ReturnType<typeof fakeApi>

/** Answers the routes that opening a conversation calls, and opens it (the URL says which is open). */
export function arrangeOpenConversation(
  api: FakeApi,
  {
    conversation = conversationOf(),
    messages = [] as Message[],
    customer = customerOf(),
    slaTargets = [] as SlaTarget[],
    followUps = [] as FollowUp[],
  }: { conversation?: ConversationSummary; messages?: Message[]; customer?: CustomerPanel; slaTargets?: SlaTarget[]; followUps?: FollowUp[] } = {},
) {
  api.on('GET', `/api/conversations/${conversation.id}`, [200, { conversation, customer, draft: null, sla: slaTargets }])
  api.on('GET', `/api/conversations/${conversation.id}/messages`, [200, { items: messages }])
  api.on('GET', `/api/conversations/${conversation.id}/sla`, [200, { items: slaTargets }])
  api.on('GET', `/api/conversations/${conversation.id}/follow-ups`, [200, { items: followUps }])
  window.history.replaceState(null, '', `/inbox/${conversation.id}`)
  useStore.getState().syncPath(`/inbox/${conversation.id}`)
  return conversation
}
