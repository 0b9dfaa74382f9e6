import { create } from 'zustand'
import { devtools } from 'zustand/middleware'
import { configureHttp } from '../api/http'
import { createAttributionSlice, type AttributionSlice } from './attribution.slice'
import { createAuditSlice, type AuditSlice } from './audit.slice'
import { createCannedRepliesSlice, type CannedRepliesSlice } from './canned.slice'
import { createChannelsSlice, type ChannelsSlice } from './channels.slice'
import { createContactSearchSlice, type ContactSearchSlice } from './contact-search.slice'
import { createConversationsSlice, type ConversationsSlice } from './conversations.slice'
import { createCustomersSlice, type CustomersSlice } from './customers.slice'
import { createDraftsSlice, type DraftsSlice } from './drafts.slice'
import { createFollowUpsSlice, type FollowUpsSlice } from './follow-ups.slice'
import { createLayoutSlice, type LayoutSlice } from './layout.slice'
import { createMembersSlice, type MembersSlice } from './members.slice'
import { createMessagesSlice, type MessagesSlice } from './messages.slice'
import { createNotificationsSlice, type NotificationsSlice } from './notifications.slice'
import { createPresenceSlice, type PresenceSlice } from './presence.slice'
import { createReportsSlice, type ReportsSlice } from './reports.slice'
import { createRouterSlice, type RouterSlice } from './router.slice'
import { createRoutingSlice, type RoutingSlice } from './routing.slice'
import { createRulesSlice, type RulesSlice } from './rules.slice'
import { createSessionSlice, type SessionSlice } from './session.slice'
import { createSlaPoliciesSlice, type SlaPoliciesSlice } from './sla-policies.slice'
import { createSurveysSlice, type SurveysSlice } from './surveys.slice'
import { createSystemSlice, type SystemSlice } from './system.slice'
import { createTeamsSlice, type TeamsSlice } from './teams.slice'
import { createTemplatesSlice, type TemplatesSlice } from './templates.slice'
import { createTokensSlice, type TokensSlice } from './tokens.slice'
import { createUiSlice, type UiSlice } from './ui.slice'
import { createUsersSlice, type UsersSlice } from './users.slice'
import { createWebhooksSlice, type WebhooksSlice } from './webhooks.slice'

export type AppState = RouterSlice &
  SessionSlice &
  SystemSlice &
  ConversationsSlice &
  MessagesSlice &
  CustomersSlice &
  DraftsSlice &
  UiSlice &
  LayoutSlice &
  ChannelsSlice &
  TeamsSlice &
  UsersSlice &
  TokensSlice &
  AuditSlice &
  CannedRepliesSlice &
  MembersSlice &
  ContactSearchSlice &
  PresenceSlice &
  NotificationsSlice &
  SlaPoliciesSlice &
  RulesSlice &
  RoutingSlice &
  ReportsSlice &
  AttributionSlice &
  TemplatesSlice &
  FollowUpsSlice &
  SurveysSlice &
  WebhooksSlice

/** The one bound store, made of slices; middleware wraps only the combined store. */
export const useStore = create<AppState>()(
  devtools(
    (...a) => ({
      ...createRouterSlice(...a),
      ...createSessionSlice(...a),
      ...createSystemSlice(...a),
      ...createConversationsSlice(...a),
      ...createMessagesSlice(...a),
      ...createCustomersSlice(...a),
      ...createDraftsSlice(...a),
      ...createUiSlice(...a),
      ...createLayoutSlice(...a),
      ...createChannelsSlice(...a),
      ...createTeamsSlice(...a),
      ...createUsersSlice(...a),
      ...createTokensSlice(...a),
      ...createAuditSlice(...a),
      ...createCannedRepliesSlice(...a),
      ...createMembersSlice(...a),
      ...createContactSearchSlice(...a),
      ...createPresenceSlice(...a),
      ...createNotificationsSlice(...a),
      ...createSlaPoliciesSlice(...a),
      ...createRulesSlice(...a),
      ...createRoutingSlice(...a),
      ...createReportsSlice(...a),
      ...createAttributionSlice(...a),
      ...createTemplatesSlice(...a),
      ...createFollowUpsSlice(...a),
      ...createSurveysSlice(...a),
      ...createWebhooksSlice(...a),
    }),
    { name: 'carebox' },
  ),
)

configureHttp({
  csrfToken: () => useStore.getState().session?.csrfToken ?? null,
  onUnauthorized: () => useStore.getState().endSession(),
})
