import { webhooksApi, type WebhookDelivery, type WebhookDeliveryStatus, type WebhookEndpoint, type WebhookEventType } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import { failed, type Outcome } from './outcome'
import type { AppState } from './store'

/** What an admin sets on an endpoint (Settings → Integrations). */
export interface WebhookEndpointDraft {
  url: string
  description: string
  /** Empty: every event type. */
  eventTypes: WebhookEventType[]
  teamId: string | null
  allowPrivateNetwork: boolean
}

/** An endpoint's delivery log as loaded: newest first, the pages read so far, and the status it is filtered to. */
export interface WebhookDeliveryLog {
  items: WebhookDelivery[]
  nextCursor: string | null
  status: WebhookDeliveryStatus | null
}

export interface WebhooksSlice {
  /** null until first loaded. */
  webhookEndpoints: WebhookEndpoint[] | null
  webhookEndpointsError: string | null
  loadWebhookEndpoints(): Promise<void>
  /** Resolves with the signing secret, which the server answers once: it is shown, never stored. */
  createWebhookEndpoint(draft: WebhookEndpointDraft): Promise<Outcome<string>>
  /** Resolves with an error message to show, or null once saved. */
  updateWebhookEndpoint(id: string, changes: Partial<WebhookEndpointDraft> & { enabled?: boolean }): Promise<string | null>
  deleteWebhookEndpoint(id: string): Promise<string | null>
  /** Resolves with the new secret, answered once. */
  rotateWebhookSecret(id: string): Promise<Outcome<string>>
  webhookDeliveryLogs: Record<string, WebhookDeliveryLog>
  webhookDeliveryErrors: Record<string, string>
  /**
   * Reads the newest page of an endpoint's log again (with `status`, or the filter it has), keeping older pages
   * already read below it.
   */
  loadWebhookDeliveries(endpointId: string, status?: WebhookDeliveryStatus | null): Promise<void>
  loadMoreWebhookDeliveries(endpointId: string): Promise<void>
  replayWebhookDelivery(endpointId: string, deliveryId: string): Promise<string | null>
  /** Resolves with how many failed deliveries were sent again. */
  replayFailedWebhookDeliveries(endpointId: string, since: string): Promise<Outcome<number>>
  /** Resolves with the test event's delivery, queued: its outcome follows in the log (read again unfiltered). */
  sendWebhookTestEvent(endpointId: string): Promise<Outcome<WebhookDelivery>>
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record
  return rest
}

/** The newest page on top of what was read before: older pages stay, from just after the page's last entry. */
function mergeNewest(
  before: WebhookDeliveryLog | undefined,
  page: { items: WebhookDelivery[]; nextCursor: string | null },
  status: WebhookDeliveryStatus | null,
) {
  const last = page.items.at(-1)
  const at = before && before.status === status && last ? before.items.findIndex((d) => d.id === last.id) : -1
  if (!before || at < 0 || before.items.length <= at + 1) return { items: page.items, nextCursor: page.nextCursor, status }
  return { items: [...page.items, ...before.items.slice(at + 1)], nextCursor: before.nextCursor, status }
}

function replaceDelivery(log: WebhookDeliveryLog | undefined, delivery: WebhookDelivery): WebhookDeliveryLog | undefined {
  if (!log) return log
  const isListed = log.items.some((d) => d.id === delivery.id)
  const fits = log.status === null || log.status === delivery.status
  return {
    ...log,
    items: isListed ? log.items.map((d) => (d.id === delivery.id ? delivery : d)) : fits ? [delivery, ...log.items] : log.items,
  }
}

export const createWebhooksSlice: StateCreator<AppState, [], [], WebhooksSlice> = (set, get) => {
  // Per endpoint, only the newest read of the log may write: a refresh can overtake an earlier one.
  const requests = new Map<string, number>()
  const nextRequest = (endpointId: string) => {
    const request = (requests.get(endpointId) ?? 0) + 1
    requests.set(endpointId, request)
    return request
  }
  const setEndpoint = (endpoint: WebhookEndpoint) =>
    set((s) => ({ webhookEndpoints: (s.webhookEndpoints ?? []).map((e) => (e.id === endpoint.id ? endpoint : e)) }))
  const setDelivery = (endpointId: string, delivery: WebhookDelivery) =>
    set((s) => {
      const log = replaceDelivery(s.webhookDeliveryLogs[endpointId], delivery)
      return log ? { webhookDeliveryLogs: { ...s.webhookDeliveryLogs, [endpointId]: log } } : {}
    })

  return {
    webhookEndpoints: null,
    webhookEndpointsError: null,
    webhookDeliveryLogs: {},
    webhookDeliveryErrors: {},
    async loadWebhookEndpoints() {
      try {
        const { items } = await call(webhooksApi.list)
        set({ webhookEndpoints: items, webhookEndpointsError: null })
      } catch (error) {
        set({ webhookEndpointsError: (error as Error).message })
      }
    },
    async createWebhookEndpoint(draft) {
      try {
        const { endpoint, secret } = await call(webhooksApi.create, { body: draft })
        set((s) => ({ webhookEndpoints: [...(s.webhookEndpoints ?? []), endpoint] }))
        return { ok: true, value: secret }
      } catch (error) {
        return failed(error)
      }
    },
    async updateWebhookEndpoint(id, changes) {
      try {
        setEndpoint(await call(webhooksApi.update, { params: { id }, body: changes }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    async deleteWebhookEndpoint(id) {
      try {
        await call(webhooksApi.remove, { params: { id } })
        set((s) => ({
          webhookEndpoints: (s.webhookEndpoints ?? []).filter((e) => e.id !== id),
          webhookDeliveryLogs: without(s.webhookDeliveryLogs, id),
          webhookDeliveryErrors: without(s.webhookDeliveryErrors, id),
        }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    async rotateWebhookSecret(id) {
      try {
        const { endpoint, secret } = await call(webhooksApi.rotateSecret, { params: { id } })
        setEndpoint(endpoint)
        return { ok: true, value: secret }
      } catch (error) {
        return failed(error)
      }
    },
    async loadWebhookDeliveries(endpointId, status) {
      const request = nextRequest(endpointId)
      const filter = status === undefined ? (get().webhookDeliveryLogs[endpointId]?.status ?? null) : status
      try {
        const page = await call(webhooksApi.deliveries, { params: { id: endpointId }, query: filter ? { status: filter } : {} })
        if (requests.get(endpointId) !== request) return
        set((s) => ({
          webhookDeliveryLogs: { ...s.webhookDeliveryLogs, [endpointId]: mergeNewest(s.webhookDeliveryLogs[endpointId], page, filter) },
          webhookDeliveryErrors: without(s.webhookDeliveryErrors, endpointId),
        }))
      } catch (error) {
        if (requests.get(endpointId) !== request) return
        set((s) => ({ webhookDeliveryErrors: { ...s.webhookDeliveryErrors, [endpointId]: (error as Error).message } }))
      }
    },
    async loadMoreWebhookDeliveries(endpointId) {
      const log = get().webhookDeliveryLogs[endpointId]
      if (!log?.nextCursor) return
      const request = nextRequest(endpointId)
      try {
        const page = await call(webhooksApi.deliveries, {
          params: { id: endpointId },
          query: { cursor: log.nextCursor, ...(log.status && { status: log.status }) },
        })
        if (requests.get(endpointId) !== request) return
        set((s) => {
          const current = s.webhookDeliveryLogs[endpointId] ?? log
          const known = new Set(current.items.map((d) => d.id))
          const items = [...current.items, ...page.items.filter((d) => !known.has(d.id))]
          return {
            webhookDeliveryLogs: { ...s.webhookDeliveryLogs, [endpointId]: { ...current, items, nextCursor: page.nextCursor } },
            webhookDeliveryErrors: without(s.webhookDeliveryErrors, endpointId),
          }
        })
      } catch (error) {
        if (requests.get(endpointId) !== request) return
        set((s) => ({ webhookDeliveryErrors: { ...s.webhookDeliveryErrors, [endpointId]: (error as Error).message } }))
      }
    },
    async replayWebhookDelivery(endpointId, deliveryId) {
      try {
        setDelivery(endpointId, await call(webhooksApi.replay, { params: { id: endpointId, deliveryId } }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    async replayFailedWebhookDeliveries(endpointId, since) {
      try {
        const { replayed } = await call(webhooksApi.replayFailed, { params: { id: endpointId }, body: { since } })
        if (replayed > 0) void get().loadWebhookDeliveries(endpointId)
        return { ok: true, value: replayed }
      } catch (error) {
        return failed(error)
      }
    },
    async sendWebhookTestEvent(endpointId) {
      try {
        const delivery = await call(webhooksApi.sendTest, { params: { id: endpointId } })
        // A log filtered to some status is read again whole: the test event is its newest entry, whatever it says.
        if (get().webhookDeliveryLogs[endpointId]?.status) set((s) => ({ webhookDeliveryLogs: without(s.webhookDeliveryLogs, endpointId) }))
        setDelivery(endpointId, delivery)
        return { ok: true, value: delivery }
      } catch (error) {
        return failed(error)
      }
    },
  }
}
