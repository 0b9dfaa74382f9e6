import { systemApi, type SystemInfo } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export interface SystemSlice {
  systemInfo: SystemInfo | null
  systemError: string | null
  loadSystemInfo(): Promise<void>
}

export const createSystemSlice: StateCreator<AppState, [], [], SystemSlice> = (set) => ({
  systemInfo: null,
  systemError: null,
  async loadSystemInfo() {
    try {
      set({ systemInfo: await call(systemApi.info), systemError: null })
    } catch (error) {
      set({ systemError: (error as Error).message })
    }
  },
})
