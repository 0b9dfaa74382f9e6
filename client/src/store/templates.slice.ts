import { templatesApi, type TemplateList } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export interface TemplatesSlice {
  /** Each WhatsApp channel's message templates as the server last answered them, by channel id. */
  templatesByChannel: Record<string, TemplateList>
  /** Why a channel's templates could not be loaded, by channel id. */
  templatesErrors: Record<string, string>
  loadTemplates(channelId: string): Promise<void>
  /** Reads the templates from the platform again (leads and admins); resolves with an error message to show, or null. */
  refreshTemplates(channelId: string): Promise<string | null>
  /**
   * Sends a template to the customer; the stored message joins the thread at once. The same `clientKey` twice
   * (a retry after a network error) sends it once. Resolves with an error message to show, or null.
   */
  sendTemplate(input: {
    conversationId: string
    channelId: string
    templateId: string
    values: Record<string, string>
    clientKey: string
  }): Promise<string | null>
}

export const createTemplatesSlice: StateCreator<AppState, [], [], TemplatesSlice> = (set, get) => {
  const show = (channelId: string, list: TemplateList) =>
    set((s) => {
      const { [channelId]: _cleared, ...templatesErrors } = s.templatesErrors
      return { templatesByChannel: { ...s.templatesByChannel, [channelId]: list }, templatesErrors }
    })

  return {
    templatesByChannel: {},
    templatesErrors: {},
    async loadTemplates(channelId) {
      try {
        show(channelId, await call(templatesApi.list, { params: { id: channelId } }))
      } catch (error) {
        set((s) => ({ templatesErrors: { ...s.templatesErrors, [channelId]: (error as Error).message } }))
      }
    },
    async refreshTemplates(channelId) {
      try {
        show(channelId, await call(templatesApi.refresh, { params: { id: channelId } }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    async sendTemplate({ conversationId, channelId, templateId, values, clientKey }) {
      try {
        get().addMessage(await call(templatesApi.send, { params: { id: conversationId }, body: { templateId, values, clientKey } }))
        return null
      } catch (error) {
        // Usually the template changed since the list was read (paused, disabled): the picker shows it as it is now.
        void get().loadTemplates(channelId)
        return (error as Error).message
      }
    },
  }
}
