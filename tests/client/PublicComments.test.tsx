import type { Message, Post } from '@carebox/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, hoursAgo, messageOf } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'

const thread = conversationOf({ kind: 'public', subject: 'Spring sale post', lastMessagePreview: 'Still waiting on my refund' })
const postUrl = `/api/conversations/${thread.id}/post`
const pictureUrl = `/api/conversations/${thread.id}/post/picture`
const repliesUrl = `/api/conversations/${thread.id}/replies`
const actionsUrl = (id: string) => `/api/messages/${id}/comment-actions`
const maya = { id: '9d8c7b6a-0000-4000-8000-00000000b001', name: 'Maya K', handle: 'maya.k' }
const tom = { id: '9d8c7b6a-0000-4000-8000-00000000b002', name: null, handle: 'tom_b' }

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

function commentOf(overrides: Partial<Message> = {}, comment: Partial<NonNullable<Message['comment']>> = {}): Message {
  return messageOf({
    conversationId: thread.id,
    author: maya,
    text: 'Still waiting on my refund',
    sentAt: hoursAgo(2),
    comment: { hidden: false, liked: false, privateReplied: false, privateReplyUntil: hoursAgo(-24 * 6), action: null, ...comment },
    ...overrides,
  })
}

function postOf(overrides: Partial<Post> = {}): Post {
  return {
    externalId: '1234_5678',
    text: 'Spring sale: everything 20% off until Sunday',
    permalink: 'https://www.facebook.com/acme/posts/5678',
    createdAt: '2026-03-01T10:00:00.000Z',
    pictureUrl,
    ...overrides,
  }
}

/** Opens the public thread with its comments; the post route answers `post`. */
async function renderThread(messages: Message[], post: Post | null = postOf()) {
  arrangeOpenConversation(api, { conversation: thread, messages })
  api.on('GET', postUrl, [200, { post }])
  render(<ConversationPane />)
  return screen.findByRole('list', { name: 'Messages' })
}

function actionsFor(author: string) {
  return screen.getByRole('group', { name: `Actions on the comment by ${author}` })
}

describe('PostCard', () => {
  it('shows the post the comments are under: its text as text, its picture from the Carebox proxy, and a link out', async () => {
    const hostile = `<img src=x onerror="window.__pwned=1"> ${'a'.repeat(200)}`
    const list = await renderThread([commentOf()], postOf({ text: hostile }))

    const card = await within(list).findByRole('article', { name: 'Post' })

    const shown = within(card).getByText(/^<img src=x onerror/)
    expect(Array.from(shown.textContent ?? '')).toHaveLength(141)
    expect(shown.textContent).toMatch(/…$/)
    const images = card.querySelectorAll('img')
    expect(images).toHaveLength(1)
    expect(images[0]).toHaveAttribute('src', pictureUrl)
    const link = within(card).getByRole('link', { name: 'View on Facebook' })
    expect(link).toHaveAttribute('href', 'https://www.facebook.com/acme/posts/5678')
    expect(link).toHaveAttribute('target', '_blank')
    expect(link.getAttribute('rel')?.split(' ')).toEqual(expect.arrayContaining(['noopener', 'noreferrer']))
    expect(within(card).getByText(/^Posted /)).toHaveAttribute('datetime', '2026-03-01T10:00:00.000Z')
  })

  it('loads no picture from anywhere but Carebox, and links to no javascript: address', async () => {
    const list = await renderThread([commentOf()], postOf({ pictureUrl: 'https://scontent.platform.example/v/post.jpg', permalink: 'javascript:alert(1)' }))

    const card = await within(list).findByRole('article', { name: 'Post' })

    expect(card.querySelector('img')).toBeNull()
    expect(within(card).queryByRole('link')).not.toBeInTheDocument()
  })

  it('asks for the post once, however often the thread changes', async () => {
    const comment = commentOf()
    const list = await renderThread([comment])
    await within(list).findByRole('article', { name: 'Post' })

    act(() => useStore.getState().updateMessage({ ...comment, text: 'Still waiting on my refund!' }))
    act(() => useStore.getState().addMessage(commentOf({ author: tom, text: 'Same here', sentAt: hoursAgo(1) })))

    expect(api.requests('GET', postUrl)).toHaveLength(1)
  })

  it('stays quiet when the post cannot be loaded', async () => {
    arrangeOpenConversation(api, { conversation: thread, messages: [commentOf()] })
    api.on('GET', postUrl, [503, { error: { code: 'unavailable', message: 'The platform did not describe the post' } }])
    render(<ConversationPane />)

    const list = await screen.findByRole('list', { name: 'Messages' })
    await waitFor(() => expect(api.requests('GET', postUrl)).toHaveLength(1))

    expect(within(list).queryByRole('article', { name: 'Post' })).not.toBeInTheDocument()
    expect(screen.queryByText(/did not describe the post/)).not.toBeInTheDocument()
  })
})

describe('CommentActions', () => {
  it('names each comment’s author and asks the platform to hide it, showing it queued, then failed with a way to try again', async () => {
    const user = userEvent.setup()
    const comment = commentOf()
    const queued = { ...comment, comment: { ...comment.comment!, action: { action: 'hide' as const, status: 'queued' as const, error: null } } }
    api.on('POST', actionsUrl(comment.id), [200, queued])
    await renderThread([comment, commentOf({ author: tom, text: 'Same here', sentAt: hoursAgo(1) })])
    expect(screen.getByText('Maya K')).toHaveClass('comment-author')
    expect(actionsFor('tom_b')).toBeInTheDocument()

    await user.click(within(actionsFor('Maya K')).getByRole('button', { name: 'Hide' }))

    expect(api.requests('POST', actionsUrl(comment.id)).map((r) => r.body)).toEqual([{ action: 'hide' }])
    expect(await screen.findByText('Hiding…')).toBeInTheDocument()
    expect(within(actionsFor('Maya K')).getByRole('button', { name: 'Hide' })).toBeDisabled()

    act(() =>
      useStore.getState().updateMessage({
        ...comment,
        comment: { ...comment.comment!, action: { action: 'hide', status: 'failed', error: 'The page lacks the pages_manage_engagement permission' } },
      }),
    )

    expect(screen.queryByText('Hiding…')).not.toBeInTheDocument()
    expect(screen.getByText('Could not hide: The page lacks the pages_manage_engagement permission')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Try again' }))
    expect(api.requests('POST', actionsUrl(comment.id)).map((r) => r.body)).toEqual([{ action: 'hide' }, { action: 'hide' }])
  })

  it('keeps the live outcome when the platform finished before the request’s own answer arrived', async () => {
    const user = userEvent.setup()
    const comment = commentOf()
    const done = { ...comment, comment: { ...comment.comment!, hidden: true, action: { action: 'hide' as const, status: 'done' as const, error: null } } }
    const queued = { ...comment, comment: { ...comment.comment!, action: { action: 'hide' as const, status: 'queued' as const, error: null } } }
    api.on('POST', actionsUrl(comment.id), () => {
      useStore.getState().updateMessage(done)
      return [200, queued]
    })
    await renderThread([comment])

    await user.click(within(actionsFor('Maya K')).getByRole('button', { name: 'Hide' }))

    expect(await screen.findByText('Hidden')).toBeInTheDocument()
    expect(screen.queryByText('Hiding…')).not.toBeInTheDocument()
    expect(within(actionsFor('Maya K')).getByRole('button', { name: 'Unhide' })).toBeEnabled()
  })

  it('shows the server’s refusal next to the comment', async () => {
    const user = userEvent.setup()
    const comment = commentOf()
    api.on('POST', actionsUrl(comment.id), [409, { error: { code: 'conflict', message: 'This comment was deleted: nothing more can be done to it.' } }])
    await renderThread([comment])

    await user.click(within(actionsFor('Maya K')).getByRole('button', { name: 'Like' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not like: This comment was deleted: nothing more can be done to it.')
  })

  it('shows a hidden, liked comment as such: Unhide instead of Hide, and Like disabled', async () => {
    const user = userEvent.setup()
    const comment = commentOf({}, { hidden: true, liked: true })
    api.on('POST', actionsUrl(comment.id), [200, comment])
    await renderThread([comment])
    const actions = actionsFor('Maya K')

    expect(screen.getByText('Hidden')).toBeInTheDocument()
    expect(screen.getByText('Liked')).toBeInTheDocument()
    expect(within(actions).getByRole('button', { name: 'Like' })).toBeDisabled()
    expect(within(actions).queryByRole('button', { name: 'Hide' })).not.toBeInTheDocument()
    await user.click(within(actions).getByRole('button', { name: 'Unhide' }))
    expect(api.requests('POST', actionsUrl(comment.id)).map((r) => r.body)).toEqual([{ action: 'unhide' }])
  })

  it('deletes a comment only once the agent confirms', async () => {
    const user = userEvent.setup()
    const comment = commentOf()
    api.on('POST', actionsUrl(comment.id), [200, comment])
    await renderThread([comment])

    await user.click(within(actionsFor('Maya K')).getByRole('button', { name: 'Delete' }))
    expect(api.requests('POST', actionsUrl(comment.id))).toHaveLength(0)
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }))

    expect(api.requests('POST', actionsUrl(comment.id)).map((r) => r.body)).toEqual([{ action: 'delete' }])
  })

  it('offers no actions on a deleted comment', async () => {
    await renderThread([commentOf({ deletedAt: hoursAgo(1) })])

    expect(screen.getByText('This message was removed on the platform.')).toBeInTheDocument()
    expect(screen.queryByRole('group', { name: /^Actions on the comment/ })).not.toBeInTheDocument()
  })

  it('says why a comment cannot be answered privately once its private reply went out or its window closed', async () => {
    await renderThread([
      commentOf({}, { privateReplied: true }),
      commentOf({ author: tom, text: 'Old one', sentAt: hoursAgo(24 * 8) }, { privateReplyUntil: hoursAgo(24) }),
      commentOf({ author: { id: crypto.randomUUID(), name: 'Ana P', handle: null }, text: 'New one' }),
    ])

    expect(within(actionsFor('Maya K')).queryByRole('button', { name: 'Reply privately' })).not.toBeInTheDocument()
    expect(within(actionsFor('Maya K')).getByText('Private reply sent')).toBeInTheDocument()
    expect(within(actionsFor('tom_b')).queryByRole('button', { name: 'Reply privately' })).not.toBeInTheDocument()
    expect(within(actionsFor('tom_b')).getByText('Private reply window closed')).toBeInTheDocument()
    expect(within(actionsFor('Ana P')).getByRole('button', { name: 'Reply privately' })).toBeEnabled()
  })
})

describe('Composer in a public thread', () => {
  /** Echoes a reply back as the server stores it, answering the comment it was sent to. */
  const echo = ({ body }: { body: unknown }) => {
    const { text } = body as { text: string }
    const agent = { id: userOf('agent').id, name: userOf('agent').name }
    return [
      200,
      messageOf({ conversationId: thread.id, text, direction: 'outbound', authorKind: 'agent', agent, status: 'queued', sentAt: new Date().toISOString() }),
    ] as [number, unknown]
  }

  it('answers the comment chosen with Reply, says so above the box, and goes back to the latest after ×', async () => {
    const user = userEvent.setup()
    const comment = commentOf()
    api.on('POST', repliesUrl, echo)
    await renderThread([comment, commentOf({ author: tom, text: 'Same here', sentAt: hoursAgo(1) })])
    const composer = screen.getByRole('form', { name: 'Composer' })
    expect(within(composer).getByText(/^A public reply to the latest comment/)).toBeInTheDocument()

    await user.click(within(actionsFor('Maya K')).getByRole('button', { name: 'Reply' }))

    expect(within(composer).getByText(/^Replying to/)).toHaveTextContent('Replying to Maya K: Still waiting on my refund')
    expect(within(actionsFor('Maya K')).getByRole('button', { name: 'Reply' })).toHaveAttribute('aria-pressed', 'true')
    const box = within(composer).getByRole('textbox', { name: 'Reply' })
    expect(box).toHaveFocus()
    await user.type(box, 'Refund sent today')
    await user.click(within(composer).getByRole('button', { name: 'Send' }))
    await waitFor(() => expect(api.requests('POST', repliesUrl)).toHaveLength(1))
    expect(api.requests('POST', repliesUrl)[0]?.body).toMatchObject({ text: 'Refund sent today', replyToMessageId: comment.id, visibility: 'public' })
    // Sent: the next reply answers the latest comment again.
    expect(await within(composer).findByText(/^A public reply to the latest comment/)).toBeInTheDocument()

    await user.click(within(actionsFor('tom_b')).getByRole('button', { name: 'Reply' }))
    await user.click(within(composer).getByRole('button', { name: 'Reply to the latest comment instead' }))
    await user.type(box, 'Thanks all')
    await user.click(within(composer).getByRole('button', { name: 'Send' }))

    await waitFor(() => expect(api.requests('POST', repliesUrl)).toHaveLength(2))
    const second = api.requests('POST', repliesUrl)[1]?.body as Record<string, unknown>
    expect(second).not.toHaveProperty('replyToMessageId')
    expect(second).not.toHaveProperty('visibility')
  })

  it('answers one post of a Mastodon thread under it, though Mastodon has no comment moderation', async () => {
    const user = userEvent.setup()
    const mastodon = { ...thread, channel: { ...thread.channel, kind: 'mastodon' as const, name: 'Acme on Mastodon' } }
    const post = messageOf({ conversationId: thread.id, author: maya, text: '@acme where is my order?', sentAt: hoursAgo(2) })
    const later = messageOf({ conversationId: thread.id, author: tom, text: '@acme same question', sentAt: hoursAgo(1) })
    arrangeOpenConversation(api, { conversation: mastodon, messages: [post, later] })
    api.on('POST', repliesUrl, echo)
    render(<ConversationPane />)
    await screen.findByRole('list', { name: 'Messages' })
    expect(screen.queryByRole('group', { name: 'Actions on the comment by Maya K' })).not.toBeInTheDocument()

    await user.click(within(screen.getByRole('group', { name: 'Actions on the post by Maya K' })).getByRole('button', { name: 'Reply to this' }))
    const composer = screen.getByRole('form', { name: 'Composer' })
    expect(within(composer).getByText(/^Replying to/)).toHaveTextContent('Replying to Maya K: @acme where is my order?')
    await user.type(within(composer).getByRole('textbox', { name: 'Reply' }), 'On its way!')
    await user.click(within(composer).getByRole('button', { name: 'Send' }))
    await waitFor(() => expect(api.requests('POST', repliesUrl)).toHaveLength(1))
    expect(api.requests('POST', repliesUrl)[0]?.body).toMatchObject({ text: 'On its way!', replyToMessageId: post.id, visibility: 'public' })
  })

  it('sends a private reply to the comment chosen with Reply privately', async () => {
    const user = userEvent.setup()
    const comment = commentOf()
    api.on('POST', repliesUrl, echo)
    await renderThread([comment])

    await user.click(within(actionsFor('Maya K')).getByRole('button', { name: 'Reply privately' }))
    const composer = screen.getByRole('form', { name: 'Composer' })
    expect(within(composer).getByText(/^Private reply to/)).toHaveTextContent('Private reply to Maya K')
    await user.type(within(composer).getByRole('textbox', { name: 'Reply' }), 'Could you send us your order number?')
    await user.click(within(composer).getByRole('button', { name: 'Send' }))

    await waitFor(() => expect(api.requests('POST', repliesUrl)).toHaveLength(1))
    expect(api.requests('POST', repliesUrl)[0]?.body).toMatchObject({ replyToMessageId: comment.id, visibility: 'private' })
  })

  it('holds back a private reply whose comment had its private reply meanwhile', async () => {
    const user = userEvent.setup()
    const comment = commentOf()
    await renderThread([comment])
    await user.click(within(actionsFor('Maya K')).getByRole('button', { name: 'Reply privately' }))
    const composer = screen.getByRole('form', { name: 'Composer' })
    await user.type(within(composer).getByRole('textbox', { name: 'Reply' }), 'Hello')

    act(() => useStore.getState().updateMessage({ ...comment, comment: { ...comment.comment!, privateReplied: true } }))

    expect(within(composer).getByRole('alert')).toHaveTextContent(/^Private reply sent/)
    expect(within(composer).getByRole('button', { name: 'Send' })).toBeDisabled()
  })
})

describe('MessageBubble in a public thread', () => {
  it('shows which comment our reply answered', async () => {
    const comment = commentOf()
    const reply = messageOf({
      conversationId: thread.id,
      direction: 'outbound',
      authorKind: 'agent',
      agent: { id: userOf('agent').id, name: userOf('agent').name },
      text: 'Refund sent today',
      status: 'sent',
      sentAt: hoursAgo(1),
      inReplyTo: { messageId: comment.id, author: 'Maya K', excerpt: '<b>Still</b> waiting on my refund' },
    })
    const list = await renderThread([comment, reply])

    const line = within(list).getByText(/^↳ to/)

    expect(line).toHaveTextContent('↳ to Maya K: <b>Still</b> waiting on my refund')
    expect(line.querySelector('b')).toBeNull()
  })
})
