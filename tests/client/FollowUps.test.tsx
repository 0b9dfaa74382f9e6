import type { Channel, ConversationSummary, FollowUp, TeamRouting, TemplateList, WhatsAppTemplate } from '@carebox/shared'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { syncSocketWithSession } from '../../client/src/api/socket'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { InboxPage } from '../../client/src/features/inbox/InboxPage'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, channelId, conversationOf, hoursAgo, listUrl, messageOf } from './conversation-fixtures'
import { fakeApi, sessionOf, support, userOf } from './fake-api'
import type { FakeSocket } from './fake-socket'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

const hourMs = 60 * 60 * 1000
const whatsapp = { id: '5c2e1f00-0000-4000-8000-00000000c0a1', kind: 'whatsapp' as const, name: 'Acme on WhatsApp' }
const messenger = conversationOf()
const chat = conversationOf({ channel: whatsapp, lastInboundAt: hoursAgo(1), lastMessageAt: hoursAgo(1) })
const followUpsUrl = `/api/conversations/${messenger.id}/follow-ups`
const templatesUrl = `/api/channels/${whatsapp.id}/templates`
const agent = userOf('agent')

const pedido: WhatsAppTemplate = {
  id: crypto.randomUUID(),
  externalId: '1689556908129832',
  name: 'pedido_atrasado',
  language: 'pt_BR',
  category: 'UTILITY',
  status: 'APPROVED',
  parameterFormat: 'POSITIONAL',
  header: null,
  body: 'Olá {{1}}, o pedido {{2}} chega em {{3}}.',
  footer: null,
  buttons: [],
  placeholders: [
    { key: 'body.1', component: 'body', name: '1', example: 'Ana' },
    { key: 'body.2', component: 'body', name: '2', example: '88213' },
    { key: 'body.3', component: 'body', name: '3', example: '12 de maio' },
  ],
  reason: null,
  qualityScore: null,
  updatedAt: '2026-03-01T09:00:00.000Z',
}
const templates: TemplateList = { items: [pedido], businessAccountId: '102290129340398', syncedAt: hoursAgo(2) }

function followUpOf(overrides: Partial<FollowUp> = {}): FollowUp {
  return {
    id: crypto.randomUUID(),
    conversationId: messenger.id,
    dueAt: new Date(Date.now() + 20 * hourMs).toISOString(),
    note: null,
    message: null,
    status: 'scheduled',
    outcome: 'The conversation comes back to the inbox with the note; nothing is sent.',
    createdBy: { id: agent.id, name: agent.name },
    createdAt: hoursAgo(1),
    ...overrides,
  }
}

/** A moment as a date-time input holds it, in the test's own time zone. */
function inputValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
  // Past the first landing (an agent's is in Mine, see WorkFlow.test.tsx): these tests start in All open.
  useStore.setState({ hasLandedInInbox: true })
})

async function openDialog(conversation: ConversationSummary = messenger, followUps: FollowUp[] = []) {
  const user = userEvent.setup()
  arrangeOpenConversation(api, { conversation, followUps })
  render(<ConversationPane />)
  await user.click(await screen.findByRole('button', { name: 'Follow up…' }))
  const dialog = screen.getByRole('dialog', { name: 'Follow up' })
  return { user, dialog, plan: () => within(dialog).getByRole('region', { name: /^At / }) }
}

describe('FollowUpDialog', () => {
  it("fills the time from its presets: 9:00 tomorrow while the team's hours are unknown, in 3 days, next Monday", async () => {
    const { user, dialog } = await openDialog()
    const time = within(dialog).getByLabelText('Date and time')
    const now = new Date()

    const tomorrow = within(dialog).getByRole('button', { name: /^Tomorrow 9:00/ })
    expect(tomorrow).toHaveFocus()
    await user.click(tomorrow)

    const nine = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0)
    expect(time).toHaveValue(inputValue(nine))
    expect(tomorrow).toHaveAttribute('aria-pressed', 'true')
    await user.click(within(dialog).getByRole('button', { name: /^In 3 days/ }))
    const inThreeDays = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 3, now.getHours(), now.getMinutes())
    expect(time).toHaveValue(inputValue(inThreeDays))
    await user.click(within(dialog).getByRole('button', { name: /^Next week/ }))
    expect(new Date(String((time as HTMLInputElement).value)).getDay()).toBe(1)
    expect(String((time as HTMLInputElement).value).endsWith('T09:00')).toBe(true)
  })

  it("starts tomorrow's preset at the start of the team's hours when they are known", async () => {
    const team: TeamRouting = {
      teamId: support.id,
      name: 'Support',
      timeZone: 'UTC',
      businessHours: { shifts: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '07:30', closes: '18:00' })), holidays: [] },
      autoAssign: false,
      openNow: true,
      waiting: 0,
    }
    api.on('GET', '/api/routing/teams', [200, { items: [team] }])
    const { user, dialog } = await openDialog()

    await user.click(await within(dialog).findByRole('button', { name: /^Tomorrow at the start of the team's hours/ }))

    const today = new Date()
    const opening = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1, 7, 30))
    expect(within(dialog).getByLabelText('Date and time')).toHaveValue(inputValue(opening))
  })

  it('says live what will happen at the time, with the kind of message and the time', async () => {
    api.on('GET', templatesUrl, [200, templates])
    const { user, dialog, plan } = await openDialog(chat)
    const time = within(dialog).getByLabelText('Date and time')
    expect(within(dialog).getByText('Pick a time to see what will happen then.')).toBeInTheDocument()

    fireEvent.change(time, { target: { value: inputValue(new Date(Date.now() + 2 * hourMs)) } })
    expect(plan()).toHaveTextContent('The conversation comes back to the inbox with the note; nothing is sent.')
    await user.click(within(dialog).getByRole('radio', { name: 'Text' }))
    expect(plan()).toHaveTextContent('The message will be sent then as a normal reply.')

    // 30 hours after the customer's last message: WhatsApp's window has closed by then.
    fireEvent.change(time, { target: { value: inputValue(new Date(Date.parse(chat.lastInboundAt!) + 30 * hourMs)) } })
    expect(plan()).toHaveTextContent(
      /^At .+The message cannot be sent then: WhatsApp's 24-hour window has closed.+The conversation will wait for you instead\.$/,
    )
    await user.click(within(dialog).getByRole('radio', { name: 'WhatsApp template' }))
    expect(plan()).toHaveTextContent('The WhatsApp template will be sent then, if Meta still has it approved.')
  })

  it('offers a template only in WhatsApp chats', async () => {
    const { dialog } = await openDialog(messenger)

    expect(
      within(dialog)
        .getAllByRole('radio')
        .map((r) => r.closest('label')?.textContent),
    ).toEqual(['No message', 'Text'])
  })

  it('schedules with the time, the note and a text, then shows it in the pane and gives the focus back', async () => {
    const dueAt = new Date(Date.now() + 3 * hourMs)
    dueAt.setSeconds(0, 0)
    api.on('POST', followUpsUrl, ({ body }) => {
      const { note, message } = body as Pick<FollowUp, 'note' | 'message'>
      const scheduled = followUpOf({ dueAt: dueAt.toISOString(), note, message, outcome: 'The message will be sent then as a normal reply.' })
      api.on('GET', followUpsUrl, [200, { items: [scheduled] }])
      return [200, scheduled]
    })
    const { user, dialog } = await openDialog()

    fireEvent.change(within(dialog).getByLabelText('Date and time'), { target: { value: inputValue(dueAt) } })
    await user.type(within(dialog).getByRole('textbox', { name: 'Note for whoever gets it back (optional)' }), '  Did the parcel arrive? ')
    await user.click(within(dialog).getByRole('radio', { name: 'Text' }))
    expect(within(dialog).getByRole('button', { name: 'Schedule follow-up' })).toBeDisabled()
    await user.type(within(dialog).getByRole('textbox', { name: 'Message to send then' }), 'Hi Rosa, did your parcel arrive?')
    await user.click(within(dialog).getByRole('button', { name: 'Schedule follow-up' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(api.requests('POST', followUpsUrl).map((r) => r.body)).toEqual([
      { dueAt: dueAt.toISOString(), note: 'Did the parcel arrive?', message: { kind: 'text', text: 'Hi Rosa, did your parcel arrive?' } },
    ])
    const pane = screen.getByRole('region', { name: 'Follow-ups' })
    expect(within(pane).getByText('Did the parcel arrive?')).toBeInTheDocument()
    expect(within(pane).getByText('The message will be sent then as a normal reply.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Follow up…' })).toHaveFocus()
  })

  it('schedules a WhatsApp template with its placeholders filled', async () => {
    const chatFollowUps = `/api/conversations/${chat.id}/follow-ups`
    api.on('GET', templatesUrl, [200, templates])
    api.on('POST', chatFollowUps, [200, followUpOf({ conversationId: chat.id })])
    const { user, dialog } = await openDialog(chat)
    await user.click(within(dialog).getByRole('button', { name: /^In 3 days/ }))
    await user.click(within(dialog).getByRole('radio', { name: 'WhatsApp template' }))

    await user.click(await within(dialog).findByRole('button', { name: 'pedido_atrasado (pt_BR)' }))
    expect(within(dialog).getByRole('textbox', { name: 'Body {{1}}' })).toHaveValue('Rosa')
    expect(within(dialog).getByRole('textbox', { name: 'Body {{1}}' })).toHaveFocus()
    expect(within(dialog).getByRole('button', { name: 'Schedule follow-up' })).toBeDisabled()
    await user.type(within(dialog).getByRole('textbox', { name: 'Body {{2}}' }), '88213')
    await user.type(within(dialog).getByRole('textbox', { name: 'Body {{3}}' }), ' 12 de maio ')
    expect(within(dialog).getByRole('region', { name: 'Preview' })).toHaveTextContent('Olá Rosa, o pedido 88213 chega em 12 de maio.')
    await user.click(within(dialog).getByRole('button', { name: 'Schedule follow-up' }))

    await waitFor(() => expect(api.requests('POST', chatFollowUps)).toHaveLength(1))
    expect(api.requests('POST', chatFollowUps)[0]?.body).toEqual({
      dueAt: expect.any(String),
      message: { kind: 'template', templateId: pedido.id, values: { 'body.1': 'Rosa', 'body.2': '88213', 'body.3': '12 de maio' } },
    })
  })

  it("shows the server's refusal and stays open", async () => {
    const refusal = 'A follow-up is for a time to come: pick a later time.'
    api.on('POST', followUpsUrl, [400, { error: { code: 'validation_failed', message: refusal } }])
    const { user, dialog } = await openDialog()
    await user.click(within(dialog).getByRole('button', { name: /^In 3 days/ }))

    await user.click(within(dialog).getByRole('button', { name: 'Schedule follow-up' }))

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(`Not scheduled: ${refusal}`)
    await user.type(within(dialog).getByRole('textbox', { name: /^Note/ }), 'x')
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument()
  })

  it('closes on Escape and gives the focus back', async () => {
    const { user } = await openDialog()

    await user.keyboard('{Escape}')

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Follow up…' })).toHaveFocus()
  })
})

describe('FollowUps', () => {
  it('shows the scheduled follow-up with who set it, and the earlier ones with what became of them', async () => {
    const done = followUpOf({ status: 'done', dueAt: hoursAgo(30), note: 'Refund sent?', outcome: 'The message was sent as a normal reply.' })
    const scheduled = followUpOf({ note: 'Check the refund landed', message: { kind: 'text', text: 'Did the refund land?' } })
    arrangeOpenConversation(api, { followUps: [scheduled, done] })

    render(<ConversationPane />)

    const pane = await screen.findByRole('region', { name: 'Follow-ups' })
    expect(await within(pane).findByText('Check the refund landed')).toBeInTheDocument()
    expect(pane).toHaveTextContent(/Follow-up .+ · set by Maya Agent/)
    expect(within(pane).getByText('Did the refund land?')).toBeInTheDocument()
    expect(within(pane).getByText(scheduled.outcome)).toBeInTheDocument()
    expect(within(pane).getByRole('list', { name: 'Earlier follow-ups' })).toHaveTextContent(/Done.*Refund sent\?.*The message was sent as a normal reply\./)
  })

  it('cancels the scheduled follow-up', async () => {
    const user = userEvent.setup()
    const scheduled = followUpOf({ note: 'Call back' })
    const cancelUrl = `${followUpsUrl}/${scheduled.id}`
    api.on('DELETE', cancelUrl, [200, { ...scheduled, status: 'cancelled', outcome: 'Cancelled by a teammate.' }])
    arrangeOpenConversation(api, { followUps: [scheduled] })
    render(<ConversationPane />)

    await user.click(await screen.findByRole('button', { name: 'Cancel follow-up' }))

    expect(api.requests('DELETE', cancelUrl)).toHaveLength(1)
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Cancel follow-up' })).not.toBeInTheDocument())
    expect(screen.getByRole('list', { name: 'Earlier follow-ups' })).toHaveTextContent('Cancelled by a teammate.')
  })

  it('reads the follow-ups again when an event arrives live in the thread', async () => {
    const stop = syncSocketWithSession()
    arrangeOpenConversation(api, { followUps: [followUpOf({ note: 'Call back' })] })
    render(<ConversationPane />)
    expect(await screen.findByText('Call back')).toBeInTheDocument()
    sockets[0]!.receive('connect')
    api.on('GET', followUpsUrl, [
      200,
      { items: [followUpOf({ status: 'cancelled', note: 'Call back', outcome: 'Cancelled: the customer wrote before it was due.' })] },
    ])

    const event = messageOf({
      kind: 'event',
      authorKind: 'platform',
      text: 'Follow-up cancelled: the customer wrote before it was due',
      sentAt: new Date().toISOString(),
    })
    sockets[0]!.receive('message.created', { conversation: messenger, message: event })

    await waitFor(() => expect(screen.queryByRole('button', { name: 'Cancel follow-up' })).not.toBeInTheDocument())
    expect(screen.getByRole('list', { name: 'Earlier follow-ups' })).toHaveTextContent('Cancelled: the customer wrote before it was due.')
    stop()
  })
})

describe('the f shortcut', () => {
  it('opens the follow-up dialog of the open conversation, and is listed in the help', async () => {
    const user = userEvent.setup()
    api.on('GET', '/api/channels', [200, [{ id: channelId, kind: 'facebook', name: 'Acme on Messenger', teamId: support.id } as Channel]])
    api.on('GET', listUrl(), [200, { items: [messenger], nextCursor: null }])
    arrangeOpenConversation(api)
    render(<InboxPage />)
    await screen.findByRole('group', { name: 'Conversation actions' })

    await user.keyboard('f')
    expect(screen.getByRole('dialog', { name: 'Follow up' })).toBeInTheDocument()
    await user.keyboard('f{Escape}')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    await user.keyboard('?')

    expect(
      within(screen.getByRole('dialog', { name: 'Keyboard shortcuts' }))
        .getByText('f')
        .closest('div'),
    ).toHaveTextContent(/Schedule a follow-up/)
  })
})

describe('the window badge in the list', () => {
  it('shows when a Messenger, Instagram or WhatsApp chat waiting on us has less than 2 hours of its window left', async () => {
    const waiting = (name: string, hours: number, overrides: Partial<ConversationSummary> = {}) =>
      conversationOf({
        id: crypto.randomUUID(),
        contact: { id: crypto.randomUUID(), name, handle: null },
        lastInboundAt: hoursAgo(hours),
        lastMessageAt: hoursAgo(hours),
        ...overrides,
      })
    const rows = [
      waiting('Ana', 22.5, { channel: whatsapp }),
      waiting('Ben', 21),
      waiting('Cleo', 23, { lastMessageAt: hoursAgo(0.5) }),
      waiting('Dev', 23, { channel: { ...whatsapp, kind: 'telegram' } }),
      waiting('Eve', 25, { channel: whatsapp }),
    ]
    api.on('GET', '/api/channels', [200, []])
    api.on('GET', listUrl(), [200, { items: rows, nextCursor: null }])
    render(<InboxPage />)
    const list = await screen.findByRole('list', { name: 'Conversations' })
    await within(list).findByText('Ana')

    const badges = within(list).queryAllByText(/^Window closes in/)
    expect(badges).toHaveLength(1)
    expect(badges[0]).toHaveTextContent('Window closes in 1 h')
    expect(badges[0]?.closest('button')).toHaveTextContent('Ana')
    expect(badges[0]).toHaveAttribute('title', expect.stringMatching(/^The 24-hour reply window closes at .+: answer before then$/))
  })
})
