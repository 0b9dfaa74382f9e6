import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { MessageThread } from '../../client/src/features/conversation/MessageThread'
import { messageOf } from './conversation-fixtures'

const id = '7c1d2e3f-0000-4000-8000-0000000000f1'
const fileId = '6a1f0c3e-0000-4000-8000-0000000f0001'

/** A reply an agent sent with a file: kept by Carebox, served by the same attachment URL as a customer's. */
function replyWith(attachment: { kind: string; name: string; mimeType: string; size: number }, overrides: Parameters<typeof messageOf>[0] = {}) {
  return messageOf({
    id,
    direction: 'outbound',
    authorKind: 'agent',
    agent: { id: crypto.randomUUID(), name: 'Maya Agent' },
    status: 'sent',
    attachments: [{ ...attachment, fileId }],
    ...overrides,
  })
}

describe('AttachmentList', () => {
  it('shows an image an agent sent inline, from Carebox, with its name and size on hover', () => {
    render(<MessageThread messages={[replyWith({ kind: 'image', name: 'parcel.png', mimeType: 'image/png', size: 48_000 })]} />)

    const image = screen.getByRole('img', { name: 'parcel.png' })
    expect(image).toHaveAttribute('src', `/api/messages/${id}/attachments/0`)
    expect(image.closest('a')).toHaveAttribute('title', 'parcel.png · image · 48 kB')
  })

  it('offers a document an agent sent as a download, with its name and size', () => {
    render(<MessageThread messages={[replyWith({ kind: 'file', name: 'invoice.pdf', mimeType: 'application/pdf', size: 1_300_000 })]} />)

    const attachments = screen.getByRole('list', { name: 'Attachments' })
    expect(within(attachments).getByRole('link', { name: 'invoice.pdf' })).toHaveAttribute('href', `/api/messages/${id}/attachments/0`)
    expect(attachments).toHaveTextContent('invoice.pdf · file · 1.2 MB')
  })

  it('keeps the file of a reply that failed, beside its Retry', () => {
    render(
      <MessageThread
        messages={[
          replyWith({ kind: 'file', name: 'invoice.pdf', mimeType: 'application/pdf', size: 1_300_000 }, { status: 'failed', error: 'Messenger refused it' }),
        ]}
        onRetry={async () => null}
      />,
    )

    expect(screen.getByRole('link', { name: 'invoice.pdf' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument()
  })
})
