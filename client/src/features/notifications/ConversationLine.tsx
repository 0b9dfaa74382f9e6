import type { ConversationSummary } from '@carebox/shared'
import { ChannelBadge } from '../../components/ChannelBadge'
import { PriorityBadge } from '../../components/PriorityBadge'
import { customerName } from './notification-conversation'

/** Which conversation a notice means: its customer, its channel and, when high or urgent, its priority. */
export function ConversationLine({ conversation }: { conversation: ConversationSummary }) {
  return (
    <span className="toast-conversation">
      <span className="toast-customer" dir="auto">
        {customerName(conversation)}
      </span>
      <span className="toast-channel">
        <ChannelBadge kind={conversation.channel.kind} name={conversation.channel.name} />
        <span dir="auto">{conversation.channel.name}</span>
      </span>
      <PriorityBadge priority={conversation.priority} />
    </span>
  )
}
