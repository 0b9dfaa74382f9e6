import { memo } from 'react'
import type { Message } from '@carebox/shared'
import { formatDateTime, formatFullDateTime } from '../../components/formatTime'
import { RelativeTime } from '../../components/RelativeTime'

/** A moment the server wrote into an event's text ("Follow-up scheduled for 2026-03-05T08:00:00.000Z"). */
const isoMoment = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))/

/** The event's words, with any moment in them shown in the agent's own time like every other time in the console. */
function EventText({ text }: { text: string }) {
  return text.split(isoMoment).map((part, index) =>
    index % 2 === 1 && !Number.isNaN(Date.parse(part)) ? (
      <time key={index} dateTime={part} title={formatFullDateTime(part)}>
        {formatDateTime(part)}
      </time>
    ) : (
      part
    ),
  )
}

/** Something that happened in the conversation (assigned, resolved…), as a quiet line between messages. */
export const EventItem = memo(function EventItem({ message }: { message: Message }) {
  return (
    <li className="thread-event">
      <span dir="auto">
        <EventText text={message.text} />
      </span>{' '}
      · <RelativeTime at={message.sentAt} />
    </li>
  )
})
