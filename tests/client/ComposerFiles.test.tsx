import type { ConversationSummary, Message, UploadedFile } from '@carebox/shared'
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, hoursAgo, messageOf } from './conversation-fixtures'
import { csrfToken, fakeApi, sessionOf, userOf } from './fake-api'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const mb = 1024 * 1024
const maya = { id: userOf('agent').id, name: userOf('agent').name }
const whatsapp = { id: crypto.randomUUID(), kind: 'whatsapp' as const, name: 'Acme on WhatsApp' }
const fileId = '6a1f0c3e-0000-4000-8000-0000000f0001'
const repliesUrl = (id: string) => `/api/conversations/${id}/replies`
const uploadUrl = (id: string, name: string, type: string) => `/api/conversations/${id}/files?${new URLSearchParams({ name, type }).toString()}`

let api: ReturnType<typeof fakeApi>
const createObjectURL = vi.fn((_file: Blob) => 'blob:preview-1')
const revokeObjectURL = vi.fn((_url: string) => {})
const realUrlFunctions = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL }

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
  // jsdom makes no object URLs: the thumbnail's are stood in for, and counted.
  createObjectURL.mockClear()
  revokeObjectURL.mockClear()
  Object.assign(URL, { createObjectURL, revokeObjectURL })
})

afterEach(() => {
  Object.assign(URL, realUrlFunctions)
})

function fileOf(name: string, type: string, size = 2048): File {
  const file = new File(['x'], name, { type })
  // The size is what the rules read; the bytes themselves need not be allocated.
  Object.defineProperty(file, 'size', { value: size })
  return file
}

function uploadedOf(file: File, overrides: Partial<UploadedFile> = {}): UploadedFile {
  return { id: fileId, name: file.name, mimeType: file.type, size: file.size, kind: 'image', ...overrides }
}

/** Echoes a reply as the server stores it, with the uploaded file as its attachment. */
function echoReply(uploaded: UploadedFile) {
  return ({ body }: { body: unknown }): [number, unknown] => {
    const { text } = body as { text: string }
    return [
      200,
      messageOf({
        text,
        direction: 'outbound',
        authorKind: 'agent',
        agent: maya,
        status: 'queued',
        sentAt: new Date().toISOString(),
        attachments: [{ kind: uploaded.kind, fileId: uploaded.id, name: uploaded.name, mimeType: uploaded.mimeType, size: uploaded.size }],
      }),
    ]
  }
}

async function renderComposer(conversation: ConversationSummary = conversationOf(), messages: Message[] = []) {
  arrangeOpenConversation(api, { conversation, messages })
  render(<ConversationPane />)
  await screen.findByRole('textbox', { name: 'Reply' })
  return screen.getByRole('form', { name: 'Composer' })
}

/** The requests that reached the network for `url`, whatever their method. */
function fetchesOf(urlStart: string) {
  return api.fetchMock.mock.calls.filter(([input]) => String(input).startsWith(urlStart))
}

/** Files as a drag from the desktop carries them. */
function dragOf(files: File[]) {
  return { dataTransfer: { files, types: ['Files'], dropEffect: 'none' } }
}

describe('Composer files', () => {
  it('uploads a picked file at once, as raw bytes, and sends the reply with its id', async () => {
    const user = userEvent.setup()
    const conversation = conversationOf()
    const photo = fileOf('parcel.png', 'image/png')
    let finishUpload: () => void = () => {}
    api.on(
      'POST',
      uploadUrl(conversation.id, 'parcel.png', 'image/png'),
      () => new Promise((resolve) => (finishUpload = () => resolve([200, uploadedOf(photo)]))),
    )
    api.on('POST', repliesUrl(conversation.id), echoReply(uploadedOf(photo)))
    await renderComposer(conversation)
    await user.type(screen.getByRole('textbox', { name: 'Reply' }), 'Here is the label')

    await user.upload(screen.getByLabelText('File to attach'), photo)

    const chip = screen.getByRole('group', { name: 'Attached file' })
    expect(chip).toHaveTextContent('parcel.png')
    expect(chip).toHaveTextContent('Image · 2 kB')
    expect(within(chip).getByRole('status')).toHaveTextContent('Uploading…')
    // The thumbnail is decoration (alt=""): the name beside it says what it is.
    expect(chip.querySelector('img')).toHaveAttribute('src', 'blob:preview-1')
    expect(createObjectURL).toHaveBeenCalledWith(photo)
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
    expect(screen.getByText('Send waits for the file to finish uploading.')).toBeInTheDocument()
    const [[, init]] = fetchesOf(`/api/conversations/${conversation.id}/files`) as [[unknown, RequestInit]]
    expect(init.body).toBe(photo)
    expect(init.headers).toMatchObject({ 'content-type': 'application/octet-stream', 'x-csrf-token': csrfToken })

    act(() => finishUpload())
    await waitFor(() => expect(within(chip).queryByText('Uploading…')).not.toBeInTheDocument())
    await user.click(screen.getByRole('button', { name: 'Send' }))

    expect(api.requests('POST', repliesUrl(conversation.id))[0]?.body).toEqual({ text: 'Here is the label', clientKey: expect.stringMatching(uuid), fileId })
    const thread = screen.getByRole('list', { name: 'Messages' })
    expect(await within(thread).findByRole('img', { name: 'parcel.png' })).toHaveAttribute('src', expect.stringMatching(/\/attachments\/0$/))
    expect(screen.queryByRole('group', { name: 'Attached file' })).not.toBeInTheDocument()
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:preview-1')
  })

  it('sends a file with no text', async () => {
    const user = userEvent.setup()
    const conversation = conversationOf()
    const invoice = fileOf('invoice.pdf', 'application/pdf', 300_000)
    api.on('POST', uploadUrl(conversation.id, 'invoice.pdf', 'application/pdf'), [200, uploadedOf(invoice, { kind: 'file' })])
    api.on('POST', repliesUrl(conversation.id), echoReply(uploadedOf(invoice, { kind: 'file' })))
    await renderComposer(conversation)
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled()

    await user.upload(screen.getByLabelText('File to attach'), invoice)
    await waitFor(() => expect(screen.getByRole('button', { name: 'Send' })).toBeEnabled())
    await user.click(screen.getByRole('button', { name: 'Send' }))

    expect(api.requests('POST', repliesUrl(conversation.id))[0]?.body).toEqual({ text: '', clientKey: expect.stringMatching(uuid), fileId })
    const thread = screen.getByRole('list', { name: 'Messages' })
    expect(await within(thread).findByRole('link', { name: 'invoice.pdf' })).toHaveAttribute('download', 'invoice.pdf')
    expect(within(thread).getByText(/300 kB/)).toBeInTheDocument()
  })

  it('refuses a file over the platform’s size, in words, and uploads nothing', async () => {
    const user = userEvent.setup()
    await renderComposer()

    await user.upload(screen.getByLabelText('File to attach'), fileOf('video-tour.png', 'image/png', 26 * mb))

    expect(screen.getByRole('alert')).toHaveTextContent('Messenger takes images up to 25 MB; this one is 26 MB.')
    expect(screen.queryByRole('group', { name: 'Attached file' })).not.toBeInTheDocument()
    expect(fetchesOf('/api/conversations/').filter(([input]) => String(input).includes('/files'))).toHaveLength(0)
  })

  it('refuses a type the platform does not take, naming what it takes', async () => {
    const user = userEvent.setup({ applyAccept: false })
    await renderComposer()

    await user.upload(screen.getByLabelText('File to attach'), fileOf('setup.exe', 'application/x-msdownload'))

    expect(screen.getByRole('alert')).toHaveTextContent(
      'Messenger does not take application/x-msdownload here. It takes: images (25 MB), videos (25 MB), audios (25 MB), documents (25 MB).',
    )
    expect(fetchesOf('/api/conversations/').filter(([input]) => String(input).includes('/files'))).toHaveLength(0)
  })

  it('refuses a file name with a control character', async () => {
    const user = userEvent.setup()
    await renderComposer()

    await user.upload(screen.getByLabelText('File to attach'), fileOf('photo\u0007.png', 'image/png'))

    expect(screen.getByRole('alert')).toHaveTextContent('The file name contains control or text-direction characters: rename the file.')
    expect(fetchesOf('/api/conversations/').filter(([input]) => String(input).includes('/files'))).toHaveLength(0)
  })

  it('types a file the browser left untyped by its extension', async () => {
    const user = userEvent.setup({ applyAccept: false })
    const conversation = conversationOf()
    const sheet = fileOf('Prices.XLSX', '')
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    api.on('POST', uploadUrl(conversation.id, 'Prices.XLSX', type), [200, uploadedOf(sheet, { mimeType: type, kind: 'file' })])
    await renderComposer(conversation)

    await user.upload(screen.getByLabelText('File to attach'), sheet)

    expect(await screen.findByRole('group', { name: 'Attached file' })).toHaveTextContent('Document · 2 kB')
    await waitFor(() => expect(api.requests('POST', uploadUrl(conversation.id, 'Prices.XLSX', type))).toHaveLength(1))
  })

  it('attaches an image pasted into the text box', async () => {
    const conversation = conversationOf()
    const screenshot = fileOf('image.png', 'image/png')
    api.on('POST', uploadUrl(conversation.id, 'image.png', 'image/png'), [200, uploadedOf(screenshot)])
    await renderComposer(conversation)

    fireEvent.paste(screen.getByRole('textbox', { name: 'Reply' }), { clipboardData: { files: [screenshot], types: ['Files'], getData: () => '' } })

    expect(await screen.findByRole('group', { name: 'Attached file' })).toHaveTextContent('image.png')
    await waitFor(() => expect(api.requests('POST', uploadUrl(conversation.id, 'image.png', 'image/png'))).toHaveLength(1))
  })

  it('attaches a file dropped on the composer, highlighting it while dragged over', async () => {
    const conversation = conversationOf()
    const photo = fileOf('shelf.jpg', 'image/jpeg')
    api.on('POST', uploadUrl(conversation.id, 'shelf.jpg', 'image/jpeg'), [200, uploadedOf(photo)])
    const composer = await renderComposer(conversation)

    fireEvent.dragEnter(composer, dragOf([photo]))
    expect(screen.getByText('Drop to attach')).toBeInTheDocument()
    fireEvent.dragOver(composer, dragOf([photo]))
    fireEvent.drop(composer, dragOf([photo]))

    expect(screen.queryByText('Drop to attach')).not.toBeInTheDocument()
    expect(await screen.findByRole('group', { name: 'Attached file' })).toHaveTextContent('shelf.jpg')
    await waitFor(() => expect(api.requests('POST', uploadUrl(conversation.id, 'shelf.jpg', 'image/jpeg'))).toHaveLength(1))
  })

  it('takes one file per reply: a second waits until the first is removed', async () => {
    const user = userEvent.setup()
    const conversation = conversationOf()
    const first = fileOf('first.png', 'image/png')
    const second = fileOf('second.png', 'image/png')
    api.on('POST', uploadUrl(conversation.id, 'first.png', 'image/png'), [200, uploadedOf(first)])
    api.on('POST', uploadUrl(conversation.id, 'second.png', 'image/png'), [200, uploadedOf(second, { id: crypto.randomUUID() })])
    const composer = await renderComposer(conversation)
    await user.upload(screen.getByLabelText('File to attach'), first)

    fireEvent.drop(composer, dragOf([second]))

    expect(screen.getByRole('alert')).toHaveTextContent('One file per reply: remove first.png to attach another.')
    expect(screen.getByRole('button', { name: 'Attach a file' })).toHaveAttribute('aria-disabled', 'true')
    await user.click(screen.getByRole('button', { name: 'Remove first.png' }))
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:preview-1')
    expect(screen.getByRole('textbox', { name: 'Reply' })).toHaveFocus()
    fireEvent.drop(composer, dragOf([second]))
    expect(await screen.findByRole('group', { name: 'Attached file' })).toHaveTextContent('second.png')
    expect(api.requests('POST', uploadUrl(conversation.id, 'second.png', 'image/png'))).toHaveLength(1)
  })

  it('shows the server’s refusal on the file and keeps Send waiting until it is removed', async () => {
    const user = userEvent.setup()
    const conversation = conversationOf()
    const fake = fileOf('receipt.png', 'image/png')
    api.on('POST', uploadUrl(conversation.id, 'receipt.png', 'image/png'), [
      400,
      { error: { code: 'validation_failed', message: 'The file’s contents are not a PNG image.' } },
    ])
    await renderComposer(conversation)
    await user.type(screen.getByRole('textbox', { name: 'Reply' }), 'See attached')

    await user.upload(screen.getByLabelText('File to attach'), fake)

    expect(await screen.findByRole('alert')).toHaveTextContent('Not attached: The file’s contents are not a PNG image.')
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
    await user.click(screen.getByRole('button', { name: 'Remove receipt.png' }))
    expect(screen.getByRole('button', { name: 'Send' })).toBeEnabled()
  })

  it('says Messenger sends the file and the text as two messages', async () => {
    const user = userEvent.setup()
    const conversation = conversationOf()
    const photo = fileOf('parcel.png', 'image/png')
    api.on('POST', uploadUrl(conversation.id, 'parcel.png', 'image/png'), [200, uploadedOf(photo)])
    await renderComposer(conversation)
    await user.upload(screen.getByLabelText('File to attach'), photo)
    expect(screen.queryByText(/two messages/)).not.toBeInTheDocument()

    await user.type(screen.getByRole('textbox', { name: 'Reply' }), 'Your label')

    expect(screen.getByText('Messenger sends the file and your text as two messages.')).toBeInTheDocument()
  })

  it('sends a short text as WhatsApp’s caption, saying nothing of two messages', async () => {
    const user = userEvent.setup()
    const conversation = conversationOf({ channel: whatsapp, lastInboundAt: hoursAgo(1) })
    const photo = fileOf('parcel.png', 'image/png')
    api.on('POST', uploadUrl(conversation.id, 'parcel.png', 'image/png'), [200, uploadedOf(photo)])
    await renderComposer(conversation)

    await user.upload(screen.getByLabelText('File to attach'), photo)
    await user.type(screen.getByRole('textbox', { name: 'Reply' }), 'Your label')

    expect(await screen.findByRole('group', { name: 'Attached file' })).toBeInTheDocument()
    expect(screen.queryByText(/two messages/)).not.toBeInTheDocument()
  })

  it('offers no files in a public Facebook comment thread, and says why on a drop or a press', async () => {
    const user = userEvent.setup()
    const reason = 'Replies to comments carry text only: answer with words, or send the file in a private message.'
    const composer = await renderComposer(conversationOf({ kind: 'public' }))

    const attach = screen.getByRole('button', { name: 'Attach a file' })
    expect(attach).toHaveAttribute('aria-disabled', 'true')
    expect(attach).toHaveAttribute('title', reason)
    await user.click(attach)
    expect(screen.getByRole('alert')).toHaveTextContent(reason)

    await user.click(screen.getByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    fireEvent.dragEnter(composer, dragOf([fileOf('photo.png', 'image/png')]))
    expect(screen.getByText(reason)).toBeInTheDocument()
    fireEvent.drop(composer, dragOf([fileOf('photo.png', 'image/png')]))

    expect(screen.getByRole('alert')).toHaveTextContent(reason)
    expect(screen.queryByRole('group', { name: 'Attached file' })).not.toBeInTheDocument()
    expect(fetchesOf('/api/conversations/').filter(([input]) => String(input).includes('/files'))).toHaveLength(0)
  })

  it('offers no files in a note, and explains a pasted image instead of attaching it', async () => {
    const user = userEvent.setup()
    await renderComposer()

    await user.click(screen.getByRole('tab', { name: 'Note' }))
    expect(screen.getByRole('button', { name: 'Attach a file' })).toHaveAttribute('title', expect.stringMatching(/^Notes stay in Carebox and carry no files/))
    fireEvent.paste(screen.getByRole('textbox', { name: 'Note' }), {
      clipboardData: { files: [fileOf('image.png', 'image/png')], types: ['Files'], getData: () => '' },
    })

    expect(screen.getByRole('alert')).toHaveTextContent('Notes stay in Carebox and carry no files: switch to Reply to send one.')
    expect(fetchesOf('/api/conversations/').filter(([input]) => String(input).includes('/files'))).toHaveLength(0)
  })

  it('shows a customer-chosen file name as text, never as markup', async () => {
    const user = userEvent.setup()
    const conversation = conversationOf()
    const name = '<img src=x onerror=alert(1)>.png'
    const photo = fileOf(name, 'image/png')
    api.on('POST', uploadUrl(conversation.id, name, 'image/png'), [200, uploadedOf(photo)])
    await renderComposer(conversation)

    await user.upload(screen.getByLabelText('File to attach'), photo)

    const chip = screen.getByRole('group', { name: 'Attached file' })
    expect(chip).toHaveTextContent(name)
    expect(chip.querySelectorAll('img')).toHaveLength(1)
  })
})
