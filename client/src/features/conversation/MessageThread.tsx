import type { Message } from '@carebox/shared'
import { AttachmentList } from '../../components/AttachmentList'
import { MessageText } from '../../components/MessageText'
import { RelativeTime } from '../../components/RelativeTime'
import './conversation.css'

const authorLabels: Record<Message['authorKind'], string> = { contact: 'Customer', agent: 'Agent', platform: 'Sent outside Carebox' }

function MessageBubble({ message }: { message: Message }) {
  const author = message.author?.name ?? message.author?.handle ?? authorLabels[message.authorKind]
  return (
    <li className={`message message-${message.direction}`}>
      <div className="message-meta">
        <bdi>{author}</bdi>
        <RelativeTime at={message.sentAt} />
        {message.direction === 'outbound' && <span className={`status status-${message.status}`}>{message.status}</span>}
        {message.editedAt && <span className="muted">edited</span>}
      </div>
      {message.deletedAt ? (
        <p className="muted">This message was removed on the platform.</p>
      ) : (
        <MessageText text={message.text} />
      )}
      <AttachmentList messageId={message.id} attachments={message.attachments} />
      {message.reactions.length > 0 && (
        <p className="reactions" aria-label="Reactions">
          {message.reactions.map((r) => r.emoji).join(' ')}
        </p>
      )}
      {message.error && <p className="error">{message.error}</p>}
    </li>
  )
}

export function MessageThread({ messages }: { messages: Message[] }) {
  return (
    <ol className="thread" aria-label="Messages">
      {messages.map((m) => (
        <MessageBubble key={m.id} message={m} />
      ))}
    </ol>
  )
}
