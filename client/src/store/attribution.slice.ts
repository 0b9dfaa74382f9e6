import { attributionApi, type ChannelConversions, type ChannelConversionsInput, type ConversationAttribution, type OutcomeInput } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export interface AttributionSlice {
  /** Each opened conversation's referrals and outcomes, as last loaded. */
  attributionByConversation: Record<string, ConversationAttribution>
  attributionErrors: Record<string, string>
  loadConversationAttribution(conversationId: string): Promise<void>
  /** Resolves with the server's refusal to show, or null once recorded. */
  recordOutcome(conversationId: string, outcome: OutcomeInput): Promise<string | null>
  /** Meta channels' Conversions API settings, by channel (admins, in the channel's settings). */
  conversionsByChannel: Record<string, ChannelConversions>
  loadChannelConversions(channelId: string): Promise<string | null>
  /** Resolves with the server's refusal to show, or null once saved. */
  saveChannelConversions(channelId: string, input: ChannelConversionsInput): Promise<string | null>
}

function without(record: Record<string, string>, key: string): Record<string, string> {
  const { [key]: _removed, ...rest } = record
  return rest
}

export const createAttributionSlice: StateCreator<AppState, [], [], AttributionSlice> = (set) => {
  // Per conversation, only the newest answer may write: a new message can ask again before the last answer is in.
  const requests = new Map<string, number>()
  const store = (conversationId: string, attribution: ConversationAttribution) =>
    set((s) => ({
      attributionByConversation: { ...s.attributionByConversation, [conversationId]: attribution },
      attributionErrors: without(s.attributionErrors, conversationId),
    }))

  return {
    attributionByConversation: {},
    attributionErrors: {},
    conversionsByChannel: {},
    async loadChannelConversions(channelId) {
      try {
        const settings = await call(attributionApi.conversions, { params: { id: channelId } })
        set((s) => ({ conversionsByChannel: { ...s.conversionsByChannel, [channelId]: settings } }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    async saveChannelConversions(channelId, input) {
      try {
        const settings = await call(attributionApi.saveConversions, { params: { id: channelId }, body: input })
        set((s) => ({ conversionsByChannel: { ...s.conversionsByChannel, [channelId]: settings } }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    async loadConversationAttribution(conversationId) {
      const request = (requests.get(conversationId) ?? 0) + 1
      requests.set(conversationId, request)
      try {
        const attribution = await call(attributionApi.get, { params: { id: conversationId } })
        if (requests.get(conversationId) === request) store(conversationId, attribution)
      } catch (error) {
        if (requests.get(conversationId) === request)
          set((s) => ({ attributionErrors: { ...s.attributionErrors, [conversationId]: (error as Error).message } }))
      }
    },
    async recordOutcome(conversationId, outcome) {
      try {
        const attribution = await call(attributionApi.recordOutcome, { params: { id: conversationId }, body: outcome })
        // Newer than anything a load still on its way could bring.
        requests.set(conversationId, (requests.get(conversationId) ?? 0) + 1)
        store(conversationId, attribution)
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
  }
}
