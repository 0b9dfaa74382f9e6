import { memo } from 'react'
import type { Message } from '@carebox/shared'
import { AttachmentList } from '../../components/AttachmentList'
import { MessageText } from '../../components/MessageText'
import { RelativeTime } from '../../components/RelativeTime'

/** A private note: seen by teammates only, never sent to the customer. */
export const NoteItem = memo(function NoteItem({ message }: { message: Message }) {
  return (
    <li className="note" aria-label="Private note">
      <div className="message-meta">
        <span>
          Note by <bdi>{message.agent?.name ?? 'a teammate'}</bdi>
        </span>
        <RelativeTime at={message.sentAt} />
      </div>
      <MessageText text={message.text} />
      <AttachmentList messageId={message.id} attachments={message.attachments} />
    </li>
  )
})
