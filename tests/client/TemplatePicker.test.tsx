import type { TemplateList, WhatsAppTemplate } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, hoursAgo, messageOf } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const whatsapp = { id: '5c2e1f00-0000-4000-8000-00000000c0a1', kind: 'whatsapp' as const, name: 'Acme on WhatsApp' }
const templatesUrl = `/api/channels/${whatsapp.id}/templates`
const closed = conversationOf({ channel: whatsapp, lastInboundAt: hoursAgo(30), language: 'pt' })
const sendUrl = `/api/conversations/${closed.id}/template-replies`

function templateOf(overrides: Partial<WhatsAppTemplate> = {}): WhatsAppTemplate {
  return {
    id: crypto.randomUUID(),
    externalId: '1689556908129832',
    name: 'order_delay',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    parameterFormat: 'POSITIONAL',
    header: null,
    body: 'Your order is delayed.',
    footer: null,
    buttons: [],
    placeholders: [],
    reason: null,
    qualityScore: null,
    updatedAt: '2026-03-01T09:00:00.000Z',
    ...overrides,
  }
}

const pedido = templateOf({
  name: 'pedido_atrasado',
  language: 'pt_BR',
  body: 'Olá {{1}}, o pedido {{2}} chega em {{3}}.',
  footer: 'Responda SAIR para não receber mais',
  buttons: [{ type: 'QUICK_REPLY', text: 'Falar com alguém' }],
  placeholders: [
    { key: 'body.1', component: 'body', name: '1', example: 'Ana' },
    { key: 'body.2', component: 'body', name: '2', example: '88213' },
    { key: 'body.3', component: 'body', name: '3', example: '12 de maio' },
  ],
})
const promo = templateOf({ name: 'promo_outono', language: 'pt_BR', category: 'MARKETING', status: 'PAUSED', reason: 'LOW_QUALITY' })
const delay = templateOf({ name: 'order_delay', language: 'en_US' })
const retraso = templateOf({ name: 'aviso_retraso', language: 'es', status: 'REJECTED', reason: 'INVALID_FORMAT' })

function listOf(items: WhatsAppTemplate[], overrides: Partial<TemplateList> = {}): TemplateList {
  return { items, businessAccountId: '102290129340398', syncedAt: hoursAgo(2), ...overrides }
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

async function openPicker(items: WhatsAppTemplate[] = [delay, retraso, promo, pedido], conversation = closed) {
  const user = userEvent.setup()
  api.on('GET', templatesUrl, [200, listOf(items)])
  arrangeOpenConversation(api, { conversation })
  render(<ConversationPane />)
  await user.click(await screen.findByRole('button', { name: 'Send a template' }))
  const dialog = screen.getByRole('dialog', { name: 'Send a template' })
  return { user, dialog }
}

describe('Composer on WhatsApp', () => {
  it('offers "Send a template" with the reason when the 24-hour window is closed', async () => {
    arrangeOpenConversation(api, { conversation: closed })

    render(<ConversationPane />)

    const composer = await screen.findByRole('form', { name: 'Composer' })
    expect(within(composer).getByText(/WhatsApp's 24-hour window has closed/)).toBeInTheDocument()
    expect(within(composer).getByRole('button', { name: 'Send a template' })).toHaveClass('primary')
    expect(within(composer).queryByRole('textbox', { name: 'Reply' })).not.toBeInTheDocument()
  })

  it('offers a Template button beside Send while the window is open, and none on Messenger', async () => {
    arrangeOpenConversation(api, { conversation: conversationOf({ channel: whatsapp, lastInboundAt: hoursAgo(1) }) })
    const { unmount } = render(<ConversationPane />)

    expect(await screen.findByRole('textbox', { name: 'Reply' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Template' })).toBeInTheDocument()
    unmount()

    arrangeOpenConversation(api, { conversation: conversationOf() })
    render(<ConversationPane />)
    await screen.findByRole('textbox', { name: 'Reply' })
    expect(screen.queryByRole('button', { name: 'Template' })).not.toBeInTheDocument()
  })

  it('closes the picker on Escape and gives the focus back', async () => {
    const { user, dialog } = await openPicker()
    await within(dialog).findByRole('list', { name: 'Templates' })

    await user.keyboard('{Escape}')

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Send a template' })).toHaveFocus()
  })
})

describe('TemplatePicker', () => {
  it("orders the templates by the customer's language and disables those that cannot be sent, saying why", async () => {
    const { dialog } = await openPicker()

    const list = await within(dialog).findByRole('list', { name: 'Templates' })
    const choices = within(list).getAllByRole('button')
    expect(choices.map((c) => c.getAttribute('aria-label'))).toEqual([
      'pedido_atrasado (pt_BR)',
      'promo_outono (pt_BR)',
      'order_delay (en_US)',
      'aviso_retraso (es)',
    ])
    const paused = within(list).getByRole('button', { name: 'promo_outono (pt_BR)' })
    expect(paused).toBeDisabled()
    expect(paused).toHaveAccessibleDescription(/Marketing · Paused.*Meta paused this template for low quality \(LOW_QUALITY\)/)
    expect(within(list).getByText(/Meta paused this template for low quality \(LOW_QUALITY\)/)).toBeInTheDocument()
    expect(within(list).getByRole('button', { name: 'aviso_retraso (es)' })).toBeDisabled()
    expect(within(list).getByRole('button', { name: 'pedido_atrasado (pt_BR)' })).toBeEnabled()
    expect(within(list).getByRole('button', { name: 'pedido_atrasado (pt_BR)' })).toHaveFocus()
  })

  it('greets the customer by first name, previews what they will receive and enables Send once nothing is missing', async () => {
    const { user, dialog } = await openPicker()
    await user.click(await within(dialog).findByRole('button', { name: 'pedido_atrasado (pt_BR)' }))

    const first = within(dialog).getByRole('textbox', { name: 'Body {{1}}' })
    const preview = within(dialog).getByRole('region', { name: 'Preview' })
    const send = within(dialog).getByRole('button', { name: 'Send template' })
    expect(first).toHaveValue('Rosa')
    expect(first).toHaveFocus()
    expect(within(dialog).getByRole('textbox', { name: 'Body {{2}}' })).toHaveAttribute('placeholder', 'e.g. 88213')
    expect(preview).toHaveTextContent('Olá Rosa, o pedido {{2}} chega em {{3}}.')
    expect(within(dialog).getByText('Still to fill in: Body {{2}}, Body {{3}}')).toBeInTheDocument()
    expect(send).toBeDisabled()

    await user.type(within(dialog).getByRole('textbox', { name: 'Body {{2}}' }), '<b>88213</b>')
    expect(preview).toHaveTextContent('Olá Rosa, o pedido <b>88213</b> chega em {{3}}.')
    expect(preview.querySelector('b')).toBeNull()
    expect(send).toBeDisabled()

    await user.type(within(dialog).getByRole('textbox', { name: 'Body {{3}}' }), '12 de maio')
    expect(within(preview).getByText(/chega em 12 de maio\.\s+Responda SAIR para não receber mais\s+\[Falar com alguém\]$/)).toBeInTheDocument()
    expect(within(dialog).queryByText(/Still to fill in/)).not.toBeInTheDocument()
    expect(send).toBeEnabled()

    await user.clear(first)
    expect(within(dialog).getByText('Still to fill in: Body {{1}}')).toBeInTheDocument()
    expect(send).toBeDisabled()
  })

  it('sends the template with its values and a fresh client key, and shows it in the thread', async () => {
    api.on('POST', sendUrl, ({ body }) => {
      const { values } = body as { values: Record<string, string> }
      const text = `Olá ${values['body.1']}, o pedido ${values['body.2']} chega em ${values['body.3']}.`
      return [
        200,
        messageOf({
          conversationId: closed.id,
          text,
          direction: 'outbound',
          authorKind: 'agent',
          agent: { id: userOf('agent').id, name: userOf('agent').name },
          status: 'queued',
          sentAt: new Date().toISOString(),
          template: { name: 'pedido_atrasado', language: 'pt_BR' },
        }),
      ]
    })
    const { user, dialog } = await openPicker()
    await user.click(await within(dialog).findByRole('button', { name: 'pedido_atrasado (pt_BR)' }))
    await user.type(within(dialog).getByRole('textbox', { name: 'Body {{2}}' }), ' 88213 ')
    await user.type(within(dialog).getByRole('textbox', { name: 'Body {{3}}' }), '12 de maio')

    await user.click(within(dialog).getByRole('button', { name: 'Send template' }))

    const thread = screen.getByRole('list', { name: 'Messages' })
    expect(await within(thread).findByText('Olá Rosa, o pedido 88213 chega em 12 de maio.')).toBeInTheDocument()
    expect(within(thread).getByText('Template: pedido_atrasado (pt_BR)')).toBeInTheDocument()
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(api.requests('POST', sendUrl).map((r) => r.body)).toEqual([
      { templateId: pedido.id, values: { 'body.1': 'Rosa', 'body.2': '88213', 'body.3': '12 de maio' }, clientKey: expect.stringMatching(uuid) },
    ])
  })

  it('asks for an https link for a media header before it lets the template go', async () => {
    const photo = templateOf({
      name: 'order_photo',
      language: 'pt_BR',
      header: { format: 'IMAGE', text: null },
      placeholders: [{ key: 'header.media', component: 'header', name: 'media', example: null }],
    })
    const { user, dialog } = await openPicker([photo])
    await user.click(await within(dialog).findByRole('button', { name: 'order_photo (pt_BR)' }))
    const link = within(dialog).getByRole('textbox', { name: 'Header image link' })

    await user.type(link, 'http://cdn.example/p.jpg')

    expect(link).toHaveAccessibleDescription('Give an https:// link that WhatsApp can fetch.')
    expect(within(dialog).getByRole('button', { name: 'Send template' })).toBeDisabled()
    await user.clear(link)
    await user.type(link, 'https://cdn.example/p.jpg')
    expect(link).not.toHaveAccessibleDescription()
    expect(within(dialog).getByRole('button', { name: 'Send template' })).toBeEnabled()
    expect(within(dialog).getByRole('region', { name: 'Preview' })).toHaveTextContent('Above the text: the image at the header link.')
  })

  it("shows the server's reason when the template was paused after it was picked, and the template as it is now", async () => {
    const plain = templateOf({ name: 'order_shipped', language: 'pt_BR', body: 'O seu pedido saiu.' })
    const message = 'Meta paused this template for low quality: it cannot be sent until it is unpaused.'
    api.on('POST', sendUrl, () => {
      api.on('GET', templatesUrl, [200, listOf([{ ...plain, status: 'PAUSED' }])])
      return [409, { error: { code: 'conflict', message } }]
    })
    const { user, dialog } = await openPicker([plain])
    await user.click(await within(dialog).findByRole('button', { name: 'order_shipped (pt_BR)' }))

    await user.click(within(dialog).getByRole('button', { name: 'Send template' }))

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(`Not sent: ${message}`)
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Send template' })).toBeDisabled())
    expect(within(dialog).getByText(/^Meta paused this template for low quality: it cannot be sent/, { selector: '.template-refusal' })).toBeInTheDocument()
  })

  it('says where an admin adds a missing WhatsApp Business Account id', async () => {
    const user = userEvent.setup()
    api.on('GET', templatesUrl, [200, listOf([], { businessAccountId: null, syncedAt: null })])
    arrangeOpenConversation(api, { conversation: closed })
    render(<ConversationPane />)

    await user.click(await screen.findByRole('button', { name: 'Send a template' }))

    const dialog = screen.getByRole('dialog', { name: 'Send a template' })
    expect(await within(dialog).findByText(/no WhatsApp Business Account id/)).toBeInTheDocument()
    expect(within(dialog).getByText(/Ask an admin to add the WhatsApp Business Account id to the channel in Settings → Channels/)).toBeInTheDocument()
  })

  it('gives an admin the way to Settings → Channels when the account has no templates', async () => {
    useStore.getState().startSession(sessionOf('admin'))
    const { user, dialog } = await openPicker([])
    expect(await within(dialog).findByText(/No templates found for this WhatsApp Business Account/)).toBeInTheDocument()

    await user.click(within(dialog).getByRole('link', { name: 'Settings → Channels' }))

    expect(useStore.getState().path).toBe('/settings/channels')
  })
})
