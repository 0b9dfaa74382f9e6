import { memo, useEffect, useRef } from 'react'
import { Avatar } from '../../components/Avatar'
import { ChannelBadge } from '../../components/ChannelBadge'
import { contactName } from '../../components/contactName'
import { formatDateTime } from '../../components/formatTime'
import { PriorityBadge } from '../../components/PriorityBadge'
import { RelativeTime } from '../../components/RelativeTime'
import { SentimentBadge } from '../../components/SentimentBadge'
import { SlaBadge } from '../../components/SlaBadge'
import { isWaitingInWindow } from '../../components/window-closing'
import { WindowClosingBadge } from '../../components/WindowClosingBadge'
import { selectOpenConversationId } from '../../store/router.slice'
import { useStore } from '../../store/store'

// Memoised: the list re-renders when its order changes, and each row redraws only when its own state does.
/** The latest message is a customer's (the preview is theirs, not our reply). */
function customerHasLastWord(conversation: { lastInboundAt: string | null; lastMessageAt: string }): boolean {
  return conversation.lastInboundAt !== null && Date.parse(conversation.lastInboundAt) >= Date.parse(conversation.lastMessageAt)
}

export const ConversationListItem = memo(function ConversationListItem({ id }: { id: string }) {
  const conversation = useStore((s) => s.conversationsById[id])
  const isOpen = useStore((s) => selectOpenConversationId(s) === id)
  const isSelected = useStore((s) => s.selectedConversationId === id)
  const isChecked = useStore((s) => s.checkedConversationIds.includes(id))
  const open = useStore((s) => s.openConversation)
  const toggleChecked = useStore((s) => s.toggleChecked)
  const prefetch = useStore((s) => s.prefetchMessages)
  const item = useRef<HTMLLIElement>(null)

  const hasMounted = useRef(false)
  useEffect(() => {
    // A row reached by j/k, or open from a link as the list loads, may be out of view; a row just clicked is not,
    // and scrolling to it would lay the page out once more.
    if (isSelected && (!isOpen || !hasMounted.current)) item.current?.scrollIntoView?.({ block: 'nearest' })
    hasMounted.current = true
  }, [isSelected, isOpen])

  if (!conversation) return null
  // Only a chat whose window can close gets the badge's clock: fifty rows need not all tick.
  const hasWindow = isWaitingInWindow(conversation)
  const classes = ['conversation-item', isOpen && 'open', isSelected && 'selected', conversation.unread && 'unread'].filter(Boolean).join(' ')
  return (
    <li ref={item} className={isChecked ? 'conversation-row checked' : 'conversation-row'}>
      {/* Beside the row's button, not in it: a tick never opens the conversation, and the row's click and keys stay its own. */}
      <input
        type="checkbox"
        className="conversation-check"
        aria-label={`Select ${contactName(conversation)}`}
        checked={isChecked}
        onChange={() => toggleChecked(id)}
      />
      {/* The pointer rests on a row a moment before it clicks: enough to fetch the thread. */}
      <button type="button" className={classes} onClick={() => open(id)} onPointerEnter={() => prefetch(id)} aria-current={isOpen ? 'true' : undefined}>
        <ChannelBadge kind={conversation.channel.kind} name={conversation.channel.name} />
        <span className="conversation-item-body">
          {/* The name has a line of its own (two when it needs them): the badges beside it used to squeeze it to a letter. */}
          <span className="conversation-item-head">
            {conversation.unread && (
              <span className="unread-dot">
                <span className="visually-hidden">unread</span>
              </span>
            )}
            <strong className="conversation-item-name">
              <bdi>{contactName(conversation)}</bdi>
            </strong>
            <RelativeTime at={conversation.lastMessageAt} />
          </span>
          <span className="conversation-item-meta">
            <bdi className="conversation-item-channel">{conversation.channel.name}</bdi>
            {conversation.kind === 'public' && <span className="tag">public</span>}
            {conversation.status !== 'open' && <span className="tag">{conversation.status}</span>}
            <PriorityBadge priority={conversation.priority} />
            {/* Only the signal worth a glance: the customer's latest message reads negative. */}
            {conversation.sentiment === 'negative' && <SentimentBadge label="negative" />}
            <SlaBadge sla={conversation.sla} />
          </span>
          <span className="conversation-item-preview">
            {/* A public thread is named after its first commenter: when the preview is a later comment by someone else, say whose. */}
            {conversation.latestCommenter &&
              conversation.latestCommenter !== (conversation.contact.name ?? conversation.contact.handle) &&
              customerHasLastWord(conversation) && <bdi className="latest-commenter">{conversation.latestCommenter}: </bdi>}
            {conversation.lastMessagePreview}
          </span>
          {(conversation.tags.length > 0 || conversation.snoozedUntil || conversation.assignee || hasWindow) && (
            <span className="conversation-item-foot">
              {hasWindow && <WindowClosingBadge conversation={conversation} />}
              {conversation.tags.map((tag) => (
                <span key={tag} className="tag">
                  {tag}
                </span>
              ))}
              {conversation.status === 'snoozed' && conversation.snoozedUntil && (
                <span className="muted">Snoozed until {formatDateTime(conversation.snoozedUntil)}</span>
              )}
              {conversation.assignee && <Avatar name={conversation.assignee.name} label={`Assigned to ${conversation.assignee.name}`} />}
            </span>
          )}
        </span>
      </button>
    </li>
  )
})
