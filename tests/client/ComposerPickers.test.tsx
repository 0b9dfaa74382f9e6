import type { CannedReply, Message } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, messageOf } from './conversation-fixtures'
import { billing, fakeApi, sessionOf, support, userOf } from './fake-api'

const conversation = conversationOf()
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function canned(shortcut: string, title: string, body: string, teamId: string | null = null): CannedReply {
  return { id: crypto.randomUUID(), teamId, shortcut, title, body, updatedAt: '2026-03-01T09:00:00.000Z' }
}

const refund = canned('refund', 'Refund on its way', 'Hi {{customer.first_name}}, your refund is on its way.')
const partial = canned('refund-partial', 'Partial refund', 'Hi {{customer.first_name}}, part of your order is refunded. {{agent.first_name}}', support.id)
const otherTeams = canned('refund-billing', 'Billing refund', 'Billing only', billing.id)
const hours = canned('hours', 'Opening hours', 'We answer from 9 to 18.')
const kim = { id: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009', name: 'Kim Lee', role: 'agent' as const }
const me = userOf('agent')

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/canned-replies', [200, { items: [hours, refund, partial, otherTeams] }])
  api.on('GET', `/api/teams/${support.id}/members`, [200, { items: [{ id: me.id, name: me.name, role: 'agent' }, kim] }])
  useStore.getState().startSession(sessionOf('agent'))
})

async function renderComposer(tab: 'Reply' | 'Note' = 'Reply') {
  const user = userEvent.setup()
  arrangeOpenConversation(api, { conversation })
  render(<ConversationPane />)
  const reply = await screen.findByRole('textbox', { name: 'Reply' })
  if (tab === 'Reply') return { user, box: reply }
  await user.click(screen.getByRole('tab', { name: 'Note' }))
  return { user, box: screen.getByRole('textbox', { name: 'Note' }) }
}

describe('Composer canned replies', () => {
  it('inserts the chosen canned reply, filled in, by keyboard alone', async () => {
    const { user, box } = await renderComposer()

    await user.type(box, '/ref')
    const picker = await screen.findByRole('listbox', { name: 'Canned replies' })
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['/refundRefund on its way', '/refund-partialPartial refund'])
    expect(box).toHaveAttribute('aria-activedescendant', within(picker).getByRole('option', { selected: true }).id)
    await user.keyboard('{ArrowDown}')
    expect(within(picker).getByRole('option', { selected: true })).toHaveTextContent('/refund-partial')
    expect(box).toHaveAttribute('aria-activedescendant', within(picker).getByRole('option', { selected: true }).id)
    await user.keyboard('{Enter}')

    expect(box).toHaveValue('Hi Rosa, part of your order is refunded. Maya')
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument()
    expect(box).toHaveFocus()
  })

  it('replaces only the "/query" after other words, with Tab too', async () => {
    const { user, box } = await renderComposer()

    await user.type(box, 'Thanks! /hou')
    await screen.findByRole('listbox', { name: 'Canned replies' })
    await user.keyboard('{Tab}')

    expect(box).toHaveValue('Thanks! We answer from 9 to 18.')
    expect(box).toHaveFocus()
  })

  it('closes on Escape, keeping the text and the focus', async () => {
    const { user, box } = await renderComposer()
    await user.type(box, '/ref')
    await screen.findByRole('listbox', { name: 'Canned replies' })

    await user.keyboard('{Escape}')

    expect(screen.queryByRole('listbox')).not.toBeInTheDocument()
    expect(box).toHaveValue('/ref')
    expect(box).toHaveFocus()
    expect(box).not.toHaveAttribute('aria-activedescendant')
  })

  it('opens only where "/" starts a word', async () => {
    const { user, box } = await renderComposer()

    await user.type(box, 'see acme.com/ref')

    expect(screen.queryByRole('listbox')).not.toBeInTheDocument()
    expect(api.requests('GET', '/api/canned-replies')).toHaveLength(0)
  })
})

describe('Composer mentions', () => {
  it('mentions a teammate picked with @ in a note, sending their id', async () => {
    const echo = ({ body }: { body: unknown }) =>
      [200, messageOf({ kind: 'note', text: (body as { text: string }).text, direction: 'outbound', authorKind: 'agent', status: 'sent' })] as [number, Message]
    api.on('POST', `/api/conversations/${conversation.id}/notes`, echo)
    const { user, box } = await renderComposer('Note')

    await user.type(box, 'Can @le')
    const picker = await screen.findByRole('listbox', { name: 'Teammates to mention' })
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Kim LeeAgent'])
    await user.keyboard('{Enter}')
    await user.type(box, 'check this?')
    await user.keyboard('{Control>}{Enter}{/Control}')

    await screen.findByText('Can @Kim Lee check this?')
    expect(api.requests('POST', `/api/conversations/${conversation.id}/notes`)[0]?.body).toEqual({
      text: 'Can @Kim Lee check this?',
      clientKey: expect.stringMatching(uuid),
      mentions: [kim.id],
    })
  })

  it('mentions no one whose @name was deleted again', async () => {
    api.on('POST', `/api/conversations/${conversation.id}/notes`, [200, messageOf({ kind: 'note', text: 'Done', direction: 'outbound', authorKind: 'agent' })])
    const { user, box } = await renderComposer('Note')
    await user.type(box, '@ki')
    await screen.findByRole('listbox', { name: 'Teammates to mention' })
    await user.keyboard('{Enter}')

    await user.clear(box)
    await user.type(box, 'Done')
    await user.click(screen.getByRole('button', { name: 'Add note' }))

    await screen.findByText('Done')
    expect(api.requests('POST', `/api/conversations/${conversation.id}/notes`)[0]?.body).toEqual({ text: 'Done', clientKey: expect.stringMatching(uuid) })
  })
})
