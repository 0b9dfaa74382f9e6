import type { Message } from '@carebox/shared'
import { useLayoutEffect, useRef } from 'react'
import type { MessageAction } from './DeliveryUnknown'
import { EventItem } from './EventItem'
import { MessageBubble } from './MessageBubble'
import { NoteItem } from './NoteItem'
import './conversation.css'

/** A conversation's messages, private notes and events, in order; the newest stays in view. */
export function MessageThread({ messages, onRetry, onMarkSent }: { messages: Message[]; onRetry?: MessageAction; onMarkSent?: MessageAction }) {
  const list = useRef<HTMLOListElement>(null)
  const last = messages.at(-1)?.id
  useLayoutEffect(() => {
    // In the next frame's own layout, before it paints: reading scrollHeight now would lay the page out once more.
    const frame = requestAnimationFrame(() => {
      const element = list.current
      if (element) element.scrollTop = element.scrollHeight
    })
    return () => cancelAnimationFrame(frame)
  }, [last])
  return (
    <ol className="thread" aria-label="Messages" ref={list}>
      {messages.map((m) =>
        m.kind === 'event' ? (
          <EventItem key={m.id} message={m} />
        ) : m.kind === 'note' ? (
          <NoteItem key={m.id} message={m} />
        ) : (
          <MessageBubble key={m.id} message={m} onRetry={onRetry} onMarkSent={onMarkSent} />
        ),
      )}
    </ol>
  )
}
