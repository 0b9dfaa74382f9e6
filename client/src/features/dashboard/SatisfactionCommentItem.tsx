import type { SatisfactionReport } from '@carebox/shared'
import type { MouseEvent } from 'react'
import { formatDateTime, formatFullDateTime } from '../../components/formatTime'
import { conversationPath } from '../../store/router.slice'
import { useStore } from '../../store/store'

/** A rating as stars for the eye and "2/5" for everyone; 1 and 2 stand out. */
function Rating({ rating }: { rating: number }) {
  return (
    <span className={rating <= 2 ? 'rating rating-low' : 'rating'}>
      <span className="rating-stars" aria-hidden="true">
        {'★'.repeat(rating)}
        {'☆'.repeat(Math.max(0, 5 - rating))}
      </span>
      <strong>{rating}/5</strong>
    </span>
  )
}

/** One answer: the rating, the customer's comment (as text), who and where, when, and its conversation. */
export function SatisfactionCommentItem({ item }: { item: SatisfactionReport['comments'][number] }) {
  const open = useStore((s) => s.openConversation)
  const onOpen = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    open(item.conversationId)
  }
  const customer = item.customer ?? 'A customer'
  return (
    <li className="satisfaction-comment">
      <div className="satisfaction-comment-head">
        <Rating rating={item.rating} />
        <bdi className="satisfaction-comment-customer">{customer}</bdi>
        <time className="muted" dateTime={item.answeredAt} title={formatFullDateTime(item.answeredAt)}>
          {formatDateTime(item.answeredAt)}
        </time>
      </div>
      {/* The customer's own words: shown as text, whatever they contain, and never turned into links. */}
      {item.comment ? (
        <p className="satisfaction-comment-text" dir="auto">
          {item.comment}
        </p>
      ) : (
        <p className="muted">No comment</p>
      )}
      <div className="satisfaction-comment-foot">
        <span className="muted">
          <bdi>{item.channel}</bdi> · Agent: <bdi>{item.agent ?? 'No person replied'}</bdi>
        </span>
        <a href={conversationPath(item.conversationId)} onClick={onOpen}>
          Open conversation <span className="visually-hidden">with {customer}</span>
        </a>
      </div>
    </li>
  )
}
