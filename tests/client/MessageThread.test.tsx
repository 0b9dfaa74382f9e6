import type { Message } from '@carebox/shared'
import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { MessageThread } from '../../client/src/features/conversation/MessageThread'

function message(overrides: Partial<Message>): Message {
  return {
    id: crypto.randomUUID(),
    conversationId: '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a001',
    direction: 'inbound',
    authorKind: 'contact',
    author: null,
    text: '',
    attachments: [],
    status: 'received',
    error: null,
    reactions: [],
    sentAt: '2026-03-02T09:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    ...overrides,
  }
}

describe('MessageThread', () => {
  it('renders customer text as text, never as HTML', () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'

    const { container } = render(<MessageThread messages={[message({ text: hostile })]} />)

    expect(screen.getByText(hostile)).toBeInTheDocument()
    expect(container.querySelector('img, script')).toBeNull()
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
})
