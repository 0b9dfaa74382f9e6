import { create } from 'zustand'
import { devtools } from 'zustand/middleware'
import { createChannelsSlice, type ChannelsSlice } from './channels.slice'
import { createConversationsSlice, type ConversationsSlice } from './conversations.slice'
import { createRouterSlice, type RouterSlice } from './router.slice'
import { createSystemSlice, type SystemSlice } from './system.slice'

export type AppState = RouterSlice & SystemSlice & ConversationsSlice & ChannelsSlice

/** The one bound store, made of slices; middleware wraps only the combined store. */
export const useStore = create<AppState>()(
  devtools(
    (...a) => ({
      ...createRouterSlice(...a),
      ...createSystemSlice(...a),
      ...createConversationsSlice(...a),
      ...createChannelsSlice(...a),
    }),
    { name: 'carebox' },
  ),
)
