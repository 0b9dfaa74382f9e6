import type { Message } from '@carebox/shared'
import { useLayoutEffect, useRef } from 'react'
import { useStore } from '../../store/store'
import { hasCommentTools } from './comment-rules'
import type { MessageAction } from './DeliveryUnknown'
import { EventItem } from './EventItem'
import { MessageBubble } from './MessageBubble'
import { NoteItem } from './NoteItem'
import { PostCard } from './PostCard'
import './conversation.css'

/**
 * A conversation's messages, private notes and events, in order; the newest stays in view. A public thread of
 * comments starts with the post they are under.
 */
export function MessageThread({ messages, onRetry, onMarkSent }: { messages: Message[]; onRetry?: MessageAction; onMarkSent?: MessageAction }) {
  const list = useRef<HTMLOListElement>(null)
  const last = messages.at(-1)?.id
  const conversationId = messages[0]?.conversationId
  const channelKind = useStore((s) => {
    const conversation = conversationId ? s.conversationsById[conversationId] : undefined
    return conversation && hasCommentTools(conversation) ? conversation.channel.kind : null
  })
  // Mastodon, Bluesky and X public threads: each post is answered by itself too (replied under it), with no moderation.
  const answersPosts = useStore((s) => {
    const conversation = conversationId ? s.conversationsById[conversationId] : undefined
    return Boolean(conversation && conversation.kind === 'public' && !hasCommentTools(conversation))
  })
  // The post arrives after the thread and lands above it: the newest message is brought back into view.
  const hasPost = useStore((s) => Boolean(conversationId && channelKind && s.postsByConversation[conversationId]))
  useLayoutEffect(() => {
    // In the next frame's own layout, before it paints: reading scrollHeight now would lay the page out once more.
    const frame = requestAnimationFrame(() => {
      const element = list.current
      if (element) element.scrollTop = element.scrollHeight
    })
    return () => cancelAnimationFrame(frame)
  }, [last, hasPost])
  return (
    <ol className="thread" aria-label="Messages" ref={list}>
      {conversationId && channelKind && <PostCard key={conversationId} conversationId={conversationId} channelKind={channelKind} />}
      {messages.map((m) =>
        m.kind === 'event' ? (
          <EventItem key={m.id} message={m} />
        ) : m.kind === 'note' ? (
          <NoteItem key={m.id} message={m} />
        ) : (
          <MessageBubble key={m.id} message={m} onRetry={onRetry} onMarkSent={onMarkSent} canAnswer={answersPosts} />
        ),
      )}
    </ol>
  )
}
