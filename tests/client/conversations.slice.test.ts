import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useStore } from '../../client/src/store/store'
import { conversationOf, hoursAgo, listUrl, messageOf, otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'

const listed = conversationOf()
const unlisted = conversationOf({ id: otherConversationId, lastMessageAt: hoursAgo(0.5) })
const store = () => useStore.getState()

let api: ReturnType<typeof fakeApi>

beforeEach(async () => {
  api = fakeApi()
  api.on('GET', listUrl(), [200, { items: [listed], nextCursor: null }])
  store().startSession(sessionOf('agent'))
  await store().loadConversations()
})

afterEach(() => {
  vi.useRealTimers()
})

let clockShifts = 0

/** A fake clock far past any refetch an earlier test made, so the throttle starts afresh. */
function useFreshClock() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  vi.setSystemTime(Date.now() + 3_600_000 * ++clockShifts)
}

describe('conversations live updates', () => {
  it('refetches the first page when a message arrives in a conversation not in the list, at most once a second', async () => {
    useFreshClock()
    api.on('GET', listUrl(), [200, { items: [unlisted, listed], nextCursor: null }])

    store().receiveMessage(unlisted, messageOf({ conversationId: unlisted.id }))
    store().receiveMessage(unlisted, messageOf({ conversationId: unlisted.id }))
    store().receiveMessage(unlisted, messageOf({ conversationId: unlisted.id }))
    await vi.advanceTimersByTimeAsync(0)

    expect(api.requests('GET', listUrl())).toHaveLength(2)
    expect(store().conversationOrder).toEqual([unlisted.id, listed.id])
    await vi.advanceTimersByTimeAsync(1000)
    expect(api.requests('GET', listUrl())).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(5000)
    expect(api.requests('GET', listUrl())).toHaveLength(3)
  })

  it('keeps a conversation that no longer matches the view open, and refetches the list without it', async () => {
    useFreshClock()
    api.on('GET', listUrl(), [200, { items: [], nextCursor: null }])

    store().upsertConversation({ ...listed, status: 'resolved' })
    await vi.advanceTimersByTimeAsync(0)

    expect(store().conversationOrder).toEqual([])
    expect(store().conversationsById[listed.id]?.status).toBe('resolved')
  })

  it('ignores a list answer for filters that have since changed', async () => {
    let answerOld: () => void = () => {}
    api.on('GET', listUrl(), () => new Promise((resolve) => (answerOld = () => resolve([200, { items: [listed], nextCursor: null }]))))
    api.on('GET', listUrl({ view: 'mine' }), [200, { items: [], nextCursor: null }])

    const old = store().loadConversations()
    store().setListFilters({ view: 'mine' })
    await vi.waitFor(() => expect(api.requests('GET', listUrl({ view: 'mine' }))).toHaveLength(1))
    answerOld()
    await old

    expect(store().conversationOrder).toEqual([])
  })

  it('takes the refetched first page as the truth for its range, and keeps older pages already loaded', async () => {
    const older = conversationOf({ id: crypto.randomUUID(), lastMessageAt: hoursAgo(48) })
    const newest = conversationOf({ id: crypto.randomUUID(), lastMessageAt: hoursAgo(0.1) })
    const middle = conversationOf({ id: crypto.randomUUID(), lastMessageAt: hoursAgo(2) })
    api.on('GET', listUrl(), [200, { items: [listed], nextCursor: 'c1' }])
    api.on('GET', listUrl({ cursor: 'c1' }), [200, { items: [older], nextCursor: 'c2' }])
    await store().loadConversations()
    await store().loadOlderConversations()
    api.on('GET', listUrl(), [200, { items: [newest, middle], nextCursor: 'c3' }])

    await store().refreshConversations()

    expect(store().conversationOrder).toEqual([newest.id, middle.id, older.id])
    expect(store().listNextCursor).toBe('c2')
  })
})

describe('messages', () => {
  it('does not let a late "queued" answer undo a delivery update', async () => {
    const reply = messageOf({ direction: 'outbound', authorKind: 'agent', status: 'queued' })
    api.on('GET', `/api/conversations/${listed.id}/messages`, [200, { items: [] }])
    await store().loadMessages(listed.id)

    store().updateMessage({ ...reply, status: 'sent' })
    store().addMessage(reply)
    store().updateMessage(reply)

    expect(store().messagesByConversation[listed.id]?.map((m) => m.status)).toEqual(['sent'])
  })
})

describe('conversations list answers', () => {
  it('do not undo a live update that arrived while they were on their way', async () => {
    let answerList: () => void = () => {}
    const answered = new Promise<void>((resolve) => (answerList = resolve))
    api.on('GET', listUrl(), async () => {
      await answered
      return [200, { items: [listed], nextCursor: null }]
    })
    const updated = { ...listed, lastMessageAt: new Date().toISOString(), lastMessagePreview: 'Any news?' }

    const refresh = store().refreshConversations()
    store().receiveMessage(updated, messageOf({ conversationId: listed.id }))
    answerList()
    await refresh

    expect(store().conversationsById[listed.id]?.lastMessagePreview).toBe('Any news?')
  })
})
