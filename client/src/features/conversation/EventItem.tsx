import { memo } from 'react'
import type { Message } from '@carebox/shared'
import { RelativeTime } from '../../components/RelativeTime'

/** Something that happened in the conversation (assigned, resolved…), as a quiet line between messages. */
export const EventItem = memo(function EventItem({ message }: { message: Message }) {
  return (
    <li className="thread-event">
      <span dir="auto">{message.text}</span> · <RelativeTime at={message.sentAt} />
    </li>
  )
})
