import { channelsApi, type Channel, type ChannelCreate, type ChannelUpdate, type DeadLetter } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export interface ChannelsSlice {
  /** null until first loaded. */
  channels: Channel[] | null
  channelsError: string | null
  deadLettersByChannel: Record<string, DeadLetter[]>
  loadChannels(): Promise<void>
  /** Resolves with an error message to show, or null on success. */
  createChannel(input: ChannelCreate): Promise<string | null>
  updateChannel(id: string, input: ChannelUpdate): Promise<string | null>
  loadDeadLetters(channelId: string): Promise<void>
  replayDeadLetter(channelId: string, eventId: string): Promise<void>
}

export const createChannelsSlice: StateCreator<AppState, [], [], ChannelsSlice> = (set, get) => ({
  channels: null,
  channelsError: null,
  deadLettersByChannel: {},
  async loadChannels() {
    try {
      set({ channels: await call(channelsApi.list), channelsError: null })
    } catch (error) {
      set({ channelsError: (error as Error).message })
    }
  },
  async createChannel(input) {
    try {
      const created = await call(channelsApi.create, { body: input })
      set((s) => ({ channels: [...(s.channels ?? []), created] }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async updateChannel(id, input) {
    try {
      const updated = await call(channelsApi.update, { params: { id }, body: input })
      set((s) => ({ channels: (s.channels ?? []).map((c) => (c.id === id ? updated : c)) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
  async loadDeadLetters(channelId) {
    try {
      const letters = await call(channelsApi.deadLetters, { params: { id: channelId } })
      set((s) => ({ deadLettersByChannel: { ...s.deadLettersByChannel, [channelId]: letters } }))
    } catch (error) {
      set({ channelsError: (error as Error).message })
    }
  },
  async replayDeadLetter(channelId, eventId) {
    try {
      await call(channelsApi.replayDeadLetter, { params: { id: channelId, eventId } })
      await Promise.all([get().loadDeadLetters(channelId), get().loadChannels()])
    } catch (error) {
      set({ channelsError: (error as Error).message })
    }
  },
})
