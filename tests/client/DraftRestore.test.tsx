import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, customerOf } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'

const conversation = conversationOf()
const draftUrl = `/api/conversations/${conversation.id}/draft`
const localKey = `carebox.draft.${userOf('agent').id}.${conversation.id}`

let api: ReturnType<typeof fakeApi>

/** Opens the conversation with the draft the server kept. */
function openWithServerDraft(draft: { text: string; mode: 'reply' | 'note'; updatedAt: string } | null) {
  arrangeOpenConversation(api, { conversation })
  api.on('GET', `/api/conversations/${conversation.id}`, [200, { conversation, customer: customerOf(), draft, sla: [] }])
  render(<ConversationPane />)
}

beforeEach(() => {
  window.localStorage.clear()
  api = fakeApi()
  api.on('PUT', draftUrl, ({ body }) => [200, { draft: { ...(body as object), updatedAt: new Date().toISOString() } }])
  useStore.getState().startSession(sessionOf('agent'))
})
afterEach(() => window.localStorage.clear())

describe('restoring a draft', () => {
  it('keeps in this browser what the server did not get before the page went away', async () => {
    const user = userEvent.setup()
    openWithServerDraft(null)

    await user.type(await screen.findByRole('textbox', { name: 'Reply' }), 'Your refund is on its way')
    window.dispatchEvent(new Event('pagehide'))

    const kept = JSON.parse(window.localStorage.getItem(localKey) ?? 'null') as { text: string; mode: string; updatedAt: string }
    expect(kept).toMatchObject({ text: 'Your refund is on its way', mode: 'reply' })
    expect(Date.parse(kept.updatedAt)).not.toBeNaN()
  })

  it('puts back the browser’s draft when it is newer than the server’s, says so, and saves it', async () => {
    window.localStorage.setItem(localKey, JSON.stringify({ text: 'Newer text typed before the reload', mode: 'reply', updatedAt: '2026-03-02T09:05:00.000Z' }))

    openWithServerDraft({ text: 'Older text', mode: 'reply', updatedAt: '2026-03-02T09:00:00.000Z' })

    expect(await screen.findByRole('textbox', { name: 'Reply' })).toHaveValue('Newer text typed before the reload')
    expect(screen.getByText(/^Restored your draft from .+ \(kept in this browser\)\.$/)).toBeInTheDocument()
    await waitFor(() => expect(api.requests('PUT', draftUrl).map((r) => r.body)).toEqual([{ text: 'Newer text typed before the reload', mode: 'reply' }]))
    expect(window.localStorage.getItem(localKey)).toBeNull()
  })

  it('puts back the server’s draft when it is newer (written on another device), and says so', async () => {
    window.localStorage.setItem(localKey, JSON.stringify({ text: 'Stale text', mode: 'reply', updatedAt: '2026-03-02T09:00:00.000Z' }))

    openWithServerDraft({ text: 'Written on the laptop', mode: 'note', updatedAt: '2026-03-02T09:10:00.000Z' })

    expect(await screen.findByRole('textbox', { name: 'Note' })).toHaveValue('Written on the laptop')
    expect(screen.getByText(/^Restored your draft from .+ \(saved on the server\)\.$/)).toBeInTheDocument()
  })

  it('does not bring back the server’s text when it was emptied here after the server saved it', async () => {
    window.localStorage.setItem(localKey, JSON.stringify({ text: '', mode: 'reply', updatedAt: '2026-03-02T09:05:00.000Z' }))

    openWithServerDraft({ text: 'Already sent elsewhere', mode: 'reply', updatedAt: '2026-03-02T09:00:00.000Z' })

    expect(await screen.findByRole('textbox', { name: 'Reply' })).toHaveValue('')
    await waitFor(() => expect(api.requests('PUT', draftUrl).map((r) => r.body)).toEqual([{ text: '', mode: 'reply' }]))
  })

  it('drops the note once the agent edits the text', async () => {
    const user = userEvent.setup()
    openWithServerDraft({ text: 'Hello', mode: 'reply', updatedAt: '2026-03-02T09:00:00.000Z' })

    await user.type(await screen.findByRole('textbox', { name: 'Reply' }), '!')

    expect(screen.queryByText(/Restored your draft/)).not.toBeInTheDocument()
  })
})
