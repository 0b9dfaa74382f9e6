import { fireEvent, render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { MessageThread } from '../../client/src/features/conversation/MessageThread'
import { messageOf as message } from './conversation-fixtures'

describe('MessageThread', () => {
  it('renders customer text as text, never as HTML', () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'

    const { container } = render(<MessageThread messages={[message({ text: hostile })]} />)

    expect(screen.getByText(hostile)).toBeInTheDocument()
    expect(container.querySelector('img, script')).toBeNull()
  })

  it('labels a rule’s acknowledgement as an automatic reply, not a person’s', () => {
    render(
      <MessageThread
        messages={[message({ direction: 'outbound', authorKind: 'agent', agent: null, automated: true, text: 'We are closed now', status: 'sent' })]}
      />,
    )

    expect(screen.getByText('Automatic reply')).toBeInTheDocument()
    expect(screen.queryByText('Agent')).not.toBeInTheDocument()
  })

  it('names who wrote each comment of a public thread', () => {
    render(
      <MessageThread
        messages={[
          message({ text: 'Still waiting on my refund', author: { id: crypto.randomUUID(), name: 'Maya K', handle: 'maya.k' } }),
          message({ text: 'Same here', author: { id: crypto.randomUUID(), name: null, handle: 'tom_b' } }),
        ]}
      />,
    )

    expect(screen.getByText('Maya K')).toBeInTheDocument()
    expect(screen.getByText('tom_b')).toBeInTheDocument()
  })

  it('shows the delivery status of our replies and what happened to edited or removed messages', () => {
    render(
      <MessageThread
        messages={[
          message({ direction: 'outbound', authorKind: 'platform', text: 'We are on it', status: 'delivered' }),
          message({ text: 'fixed typo', editedAt: '2026-03-02T09:05:00.000Z' }),
          message({ text: 'gone', deletedAt: '2026-03-02T09:06:00.000Z' }),
        ]}
      />,
    )

    expect(screen.getByText('delivered')).toBeInTheDocument()
    expect(screen.getByText('edited')).toBeInTheDocument()
    expect(screen.getByText('This message was removed on the platform.')).toBeInTheDocument()
    expect(screen.queryByText('gone')).not.toBeInTheDocument()
  })

  it('renders script and img markup in message text as literal text', () => {
    const texts = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>']

    const { container } = render(<MessageThread messages={texts.map((text) => message({ text }))} />)

    for (const text of texts) expect(screen.getByText(text)).toBeInTheDocument()
    expect(container.querySelector('script, img')).toBeNull()
  })

  it('renders author names as text when they contain markup', () => {
    const name = '<b onmouseover=alert(1)>Maya</b>'

    const { container } = render(<MessageThread messages={[message({ text: 'hi', author: { id: crypto.randomUUID(), name, handle: null } })]} />)

    expect(screen.getByText(name)).toBeInTheDocument()
    expect(container.querySelector('b')).toBeNull()
  })

  it('keeps the line breaks of customer text', () => {
    render(<MessageThread messages={[message({ text: 'line one\nline two\n\nline four' })]} />)

    expect(screen.getByText(/line one/).textContent).toBe('line one\nline two\n\nline four')
  })

  it('opens http and https links in a new tab without giving the page access to Carebox', () => {
    render(<MessageThread messages={[message({ text: 'Tracking: https://track.example/p/1, or see http://help.example.' })]} />)

    const https = screen.getByRole('link', { name: 'https://track.example/p/1' })
    const http = screen.getByRole('link', { name: 'http://help.example' })
    for (const link of [https, http]) {
      expect(link).toHaveAttribute('target', '_blank')
      expect(link.getAttribute('rel')?.split(' ')).toEqual(expect.arrayContaining(['noopener', 'noreferrer', 'nofollow']))
    }
    expect(https).toHaveAttribute('href', 'https://track.example/p/1')
    expect(http).toHaveAttribute('href', 'http://help.example/')
  })

  it('never makes a link of javascript: or data: URLs', () => {
    const text = 'click javascript:alert(1) or JaVaScRiPt:alert(document.cookie) or data:text/html,<script>alert(1)</script>'

    const { container } = render(<MessageThread messages={[message({ text })]} />)

    expect(screen.getByText(text)).toBeInTheDocument()
    expect(container.querySelector('a')).toBeNull()
  })

  it('shows attachment file names without directories or direction overrides', () => {
    const id = '7c1d2e3f-0000-4000-8000-000000000001'

    render(
      <MessageThread messages={[message({ id, attachments: [{ kind: 'file', url: 'https://cdn.platform.example/f/1', name: '../../evil\u202Etxt.exe' }] })]} />,
    )

    const link = screen.getByRole('link', { name: 'eviltxt.exe' })
    expect(link).toHaveAttribute('href', `/api/messages/${id}/attachments/0`)
    expect(link.textContent).not.toMatch(/[\u202a-\u202e\u2066-\u2069/\\]/)
  })

  it('caps long attachment names at 80 characters and keeps the extension in sight', () => {
    const name = `invoice${' '.repeat(50)}${'x'.repeat(100)}.pdf.exe`

    render(<MessageThread messages={[message({ attachments: [{ kind: 'file', mediaId: 'm1', name }] })]} />)

    const label = screen.getByRole('link').textContent ?? ''
    expect(Array.from(label)).toHaveLength(80)
    expect(label).toMatch(/^invoice x+…\.exe$/)
  })

  it('names an attachment by its kind when it has no usable name', () => {
    render(<MessageThread messages={[message({ attachments: [{ kind: 'audio', mediaId: 'm1', name: '../\u202E/' }] })]} />)

    expect(screen.getByRole('link', { name: 'audio' })).toBeInTheDocument()
  })

  it('loads images through the Carebox proxy, never from the platform', () => {
    const id = '7c1d2e3f-0000-4000-8000-000000000002'
    const platformUrl = 'https://scontent.platform.example/v/photo.jpg?token=secret'

    const { container } = render(
      <MessageThread
        messages={[
          message({
            id,
            attachments: [
              { kind: 'file', url: 'https://scontent.platform.example/v/doc.pdf', name: 'doc.pdf', mimeType: 'application/pdf' },
              { kind: 'image', url: platformUrl, name: 'photo.jpg' },
              { kind: 'file', mediaId: 'media-3', mimeType: 'image/png' },
            ],
          }),
        ]}
      />,
    )

    const images = screen.getAllByRole('img')
    expect(images.map((img) => img.getAttribute('src'))).toEqual([`/api/messages/${id}/attachments/1`, `/api/messages/${id}/attachments/2`])
    expect(images[0]).toHaveAttribute('alt', 'photo.jpg')
    expect(images[0]).toHaveAttribute('loading', 'lazy')
    expect(container.innerHTML).not.toContain('platform.example')
  })

  it('offers image types the console does not show inline as a download', () => {
    const { container } = render(
      <MessageThread messages={[message({ attachments: [{ kind: 'image', mediaId: 'm1', name: 'logo.svg', mimeType: 'image/svg+xml' }] })]} />,
    )

    expect(container.querySelector('img')).toBeNull()
    expect(screen.getByRole('link', { name: 'logo.svg' })).toHaveAttribute('download', 'logo.svg')
  })

  it('says an image is unavailable when it fails to load', () => {
    render(<MessageThread messages={[message({ attachments: [{ kind: 'image', mediaId: 'm1', name: 'photo.jpg' }] })]} />)

    fireEvent.error(screen.getByRole('img', { name: 'photo.jpg' }))

    expect(screen.getByText('Image unavailable')).toBeInTheDocument()
    expect(screen.queryByRole('img')).not.toBeInTheDocument()
  })

  it('shows an attachment with nothing to load as a plain label', () => {
    const { container } = render(<MessageThread messages={[message({ attachments: [{ kind: 'location', name: 'Shop entrance' }] })]} />)

    expect(screen.getByText('Shop entrance')).toBeInTheDocument()
    expect(container.querySelector('a, img')).toBeNull()
  })

  it('shows our replies on the right under the teammate who wrote them, and customers on the left', () => {
    const { container } = render(
      <MessageThread
        messages={[
          message({ text: 'Where is my order?' }),
          message({ direction: 'outbound', authorKind: 'agent', agent: { id: crypto.randomUUID(), name: 'Maya Agent' }, text: 'Checking now', status: 'sent' }),
        ]}
      />,
    )

    const [inbound, outbound] = container.querySelectorAll('.message')
    expect(inbound).toHaveClass('message-inbound')
    expect(outbound).toHaveClass('message-outbound')
    expect(outbound).toHaveTextContent('Maya Agent')
    expect(outbound).toHaveTextContent('sent')
  })

  it('shows a private note apart from messages, with who wrote it', () => {
    const { container } = render(
      <MessageThread
        messages={[
          message({
            kind: 'note',
            direction: 'outbound',
            authorKind: 'agent',
            agent: { id: crypto.randomUUID(), name: '<b>Lee</b>' },
            text: 'VIP customer, be quick',
            status: 'sent',
          }),
        ]}
      />,
    )

    const note = screen.getByRole('listitem', { name: 'Private note' })
    expect(note).toHaveClass('note')
    expect(note).not.toHaveClass('message')
    expect(note).toHaveTextContent('Note by <b>Lee</b>')
    expect(within(note).getByText('VIP customer, be quick')).toBeInTheDocument()
    expect(within(note).queryByText('sent')).not.toBeInTheDocument()
    expect(container.querySelector('b')).toBeNull()
  })

  it('shows events as a quiet line of text', () => {
    const { container } = render(
      <MessageThread messages={[message({ kind: 'event', authorKind: 'platform', text: 'Maya Agent resolved the conversation <img src=x>' })]} />,
    )

    const event = screen.getByText('Maya Agent resolved the conversation <img src=x>').closest('li')
    expect(event).toHaveClass('thread-event')
    expect(container.querySelector('img, .message, .note')).toBeNull()
  })

  it('offers Retry only on a failed reply, and only when it can retry', () => {
    const failed = message({ direction: 'outbound', authorKind: 'agent', text: 'Hi', status: 'failed', error: 'Token expired' })

    const { rerender } = render(<MessageThread messages={[failed]} onRetry={async () => null} />)
    expect(screen.getByText('Token expired')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument()

    rerender(<MessageThread messages={[{ ...failed, status: 'sent', error: null }]} onRetry={async () => null} />)
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument()
  })
})
