import { create } from 'zustand'
import { devtools } from 'zustand/middleware'
import { createRouterSlice, type RouterSlice } from './router.slice'
import { createSystemSlice, type SystemSlice } from './system.slice'

export type AppState = RouterSlice & SystemSlice

/** The one bound store, made of slices; middleware wraps only the combined store. */
export const useStore = create<AppState>()(
  devtools((...a) => ({ ...createRouterSlice(...a), ...createSystemSlice(...a) }), { name: 'carebox' }),
)
