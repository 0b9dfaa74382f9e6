import type { SatisfactionReport } from '@carebox/shared'
import { useId } from 'react'
import { DefinitionButton } from './DefinitionButton'
import { SatisfactionCommentItem } from './SatisfactionCommentItem'

/** The latest ratings that came with a comment or were a 1 or a 2, newest first, each leading to its conversation. */
export function SatisfactionComments({ comments }: { comments: SatisfactionReport['comments'] }) {
  const titleId = useId()
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="chart-head">
        <h3 id={titleId}>Latest comments and low ratings</h3>
        <DefinitionButton metric="csatScore" />
      </div>
      {comments.length === 0 ? (
        <p className="muted">
          No comments or low ratings in this period. A rating that comes with a comment, or is a 1 or a 2, shows here with its conversation.
        </p>
      ) : (
        <ul className="satisfaction-comments" aria-labelledby={titleId}>
          {comments.map((item) => (
            <SatisfactionCommentItem key={`${item.conversationId}:${item.answeredAt}`} item={item} />
          ))}
        </ul>
      )}
    </section>
  )
}
