import {
  channelsApi,
  systemApi,
  type Channel,
  type ChannelCreate,
  type ChannelHealth,
  type ChannelUpdate,
  type DeadLetter,
  type DeadLetterReplayOutcome,
} from '@carebox/shared'
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
  /** Resolves with what became of the replay, or why it could not be asked for (`error`). */
  replayDeadLetter(channelId: string, eventId: string): Promise<DeadLetterReplayOutcome | { status: 'error'; error: string }>
  /** Each channel's intake, by channel id (admins): null until first loaded, then kept fresh with the channels. */
  channelHealth: Record<string, ChannelHealth> | null
  channelHealthError: string | null
  loadChannelHealth(): Promise<void>
}

export const createChannelsSlice: StateCreator<AppState, [], [], ChannelsSlice> = (set, get) => ({
  channels: null,
  channelsError: null,
  deadLettersByChannel: {},
  async loadChannels() {
    // A channel changed (an error, a dead letter, a poll that works again): its health changed with it.
    if (get().channelHealth !== null) void get().loadChannelHealth()
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
    let outcome: DeadLetterReplayOutcome | { status: 'error'; error: string }
    try {
      outcome = await call(channelsApi.replayDeadLetter, { params: { id: channelId, eventId } })
    } catch (error) {
      outcome = { status: 'error', error: (error as Error).message }
    }
    // Both after the outcome is known, so the list and the channel's count say the same.
    await Promise.all([get().loadDeadLetters(channelId), get().loadChannels()])
    return outcome
  },
  channelHealth: null,
  channelHealthError: null,
  async loadChannelHealth() {
    try {
      const { items } = await call(systemApi.channelHealth)
      set({ channelHealth: Object.fromEntries(items.map((health) => [health.channelId, health])), channelHealthError: null })
    } catch (error) {
      set({ channelHealthError: (error as Error).message })
    }
  },
})
