import { create } from 'zustand'
import { devtools } from 'zustand/middleware'
import { configureHttp } from '../api/http'
import { createAuditSlice, type AuditSlice } from './audit.slice'
import { createChannelsSlice, type ChannelsSlice } from './channels.slice'
import { createConversationsSlice, type ConversationsSlice } from './conversations.slice'
import { createRouterSlice, type RouterSlice } from './router.slice'
import { createSessionSlice, type SessionSlice } from './session.slice'
import { createSystemSlice, type SystemSlice } from './system.slice'
import { createTeamsSlice, type TeamsSlice } from './teams.slice'
import { createTokensSlice, type TokensSlice } from './tokens.slice'
import { createUsersSlice, type UsersSlice } from './users.slice'

export type AppState = RouterSlice &
  SessionSlice &
  SystemSlice &
  ConversationsSlice &
  ChannelsSlice &
  TeamsSlice &
  UsersSlice &
  TokensSlice &
  AuditSlice

/** The one bound store, made of slices; middleware wraps only the combined store. */
export const useStore = create<AppState>()(
  devtools(
    (...a) => ({
      ...createRouterSlice(...a),
      ...createSessionSlice(...a),
      ...createSystemSlice(...a),
      ...createConversationsSlice(...a),
      ...createChannelsSlice(...a),
      ...createTeamsSlice(...a),
      ...createUsersSlice(...a),
      ...createTokensSlice(...a),
      ...createAuditSlice(...a),
    }),
    { name: 'carebox' },
  ),
)

configureHttp({
  csrfToken: () => useStore.getState().session?.csrfToken ?? null,
  onUnauthorized: () => useStore.getState().endSession(),
})
