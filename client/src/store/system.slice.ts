import { systemApi, type SystemHealth, type SystemInfo } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

/** What this node got back after being degraded: said for a moment, then the banner goes. */
export type HealthRecovery = 'database' | 'worker'

export interface SystemSlice {
  systemInfo: SystemInfo | null
  systemError: string | null
  loadSystemInfo(): Promise<void>
  /** The latest health of the node this console is connected to; null until it is first known. */
  systemHealth: SystemHealth | null
  healthRecovery: HealthRecovery | null
  /** Asks the node how it is: on every connect, since a `system.health` sent while offline was missed. */
  loadHealth(): Promise<void>
  /** A health report from the check or from the `system.health` event. */
  receiveHealth(health: SystemHealth): void
  dismissHealthRecovery(): void
}

export const createSystemSlice: StateCreator<AppState, [], [], SystemSlice> = (set, get) => ({
  systemInfo: null,
  systemError: null,
  async loadSystemInfo() {
    try {
      set({ systemInfo: await call(systemApi.info), systemError: null })
    } catch (error) {
      set({ systemError: (error as Error).message })
    }
  },
  systemHealth: null,
  healthRecovery: null,
  async loadHealth() {
    try {
      // A degraded node answers 503 with its report: `call` reads it like a 200, as the contract declares.
      get().receiveHealth(await call(systemApi.health))
    } catch {
      // Not answered at all (the inbox shows the lost connection): keep what was last known; the next connect asks again.
    }
  },
  receiveHealth(health) {
    const previous = get().systemHealth
    if (health.status === 'degraded') {
      set({ systemHealth: health, healthRecovery: null })
    } else if (previous?.status === 'degraded') {
      set({ systemHealth: health, healthRecovery: previous.database.ok ? 'worker' : 'database' })
    } else {
      set({ systemHealth: health })
    }
  },
  dismissHealthRecovery() {
    set({ healthRecovery: null })
  },
})
