import type { TemplateList, WhatsAppTemplate } from '@carebox/shared'
import { act, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'
import type { FakeSocket } from './fake-socket'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

const { syncSocketWithSession } = await import('../../client/src/api/socket')

const channelId = '5c2e1f00-0000-4000-8000-00000000c0b2'
const templatesUrl = `/api/channels/${channelId}/templates`

function listWith(status: string): TemplateList {
  const template: WhatsAppTemplate = {
    id: '5c2e1f00-0000-4000-8000-00000000d001',
    externalId: '1689556908129832',
    name: 'order_update',
    language: 'en_US',
    category: 'UTILITY',
    status,
    parameterFormat: 'POSITIONAL',
    header: null,
    body: 'Your order {{1}} is on its way.',
    footer: null,
    buttons: [],
    placeholders: [{ key: 'body.1', component: 'body', name: '1', example: '88213' }],
    reason: status === 'PAUSED' ? 'LOW_QUALITY' : null,
    qualityScore: null,
    updatedAt: '2026-03-01T09:00:00.000Z',
  }
  return { items: [template], businessAccountId: '102290129340398', syncedAt: '2026-03-01T09:00:00.000Z' }
}

let api: ReturnType<typeof fakeApi>
let stop: () => void

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
  stop = syncSocketWithSession()
})
afterEach(() => stop())

describe('a template whose status changes on the platform', () => {
  it('is read again when the server says its channel changed, so an open composer greys it out at once', async () => {
    api.on('GET', templatesUrl, [200, listWith('APPROVED')])
    act(() => useStore.getState().startSession(sessionOf('agent')))
    const socket = sockets[0]!
    act(() => socket.receive('connect'))
    await act(() => useStore.getState().loadTemplates(channelId))
    expect(useStore.getState().templatesByChannel[channelId]?.items[0]?.status).toBe('APPROVED')

    api.on('GET', templatesUrl, [200, listWith('PAUSED')])
    act(() => socket.receive('channel.updated', { channelId }))
    await waitFor(() => expect(useStore.getState().templatesByChannel[channelId]?.items[0]?.status).toBe('PAUSED'))
    expect(api.requests('GET', templatesUrl)).toHaveLength(2)
  })

  it('leaves the templates of channels nobody opened alone', async () => {
    act(() => useStore.getState().startSession(sessionOf('agent')))
    const socket = sockets[0]!
    act(() => socket.receive('connect'))
    act(() => socket.receive('channel.updated', { channelId }))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(api.requests('GET', templatesUrl)).toHaveLength(0)
  })
})
