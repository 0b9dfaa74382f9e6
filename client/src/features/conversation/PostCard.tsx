import { channelKindNames, type ChannelKind } from '@carebox/shared'
import { useEffect, useState } from 'react'
import { formatDateTime, formatFullDateTime } from '../../components/formatTime'
import { useStore } from '../../store/store'
import { careboxPictureUrl, excerpt, webLink } from './comment-rules'

const postExcerptChars = 140

/**
 * The post a public thread's comments are under, at the top of the thread: what the customers are answering.
 * Quiet while it loads and when it cannot be had: the comments read on their own.
 */
export function PostCard({ conversationId, channelKind }: { conversationId: string; channelKind: ChannelKind }) {
  const post = useStore((s) => s.postsByConversation[conversationId])
  const loadPost = useStore((s) => s.loadPost)
  // A picture that will not load (gone from the platform, refused by the proxy) is left out, not shown broken.
  const [isPictureBroken, setPictureBroken] = useState(false)

  useEffect(() => {
    loadPost(conversationId)
  }, [conversationId, loadPost])

  if (!post) return null
  const picture = isPictureBroken ? null : careboxPictureUrl(post.pictureUrl)
  const permalink = webLink(post.permalink)
  const text = excerpt(post.text, postExcerptChars)
  return (
    <li className="thread-post">
      <article className="post-card" aria-label="Post">
        {picture && <img className="post-picture" src={picture} alt="The post's picture" loading="lazy" onError={() => setPictureBroken(true)} />}
        <div className="post-body">
          {text && (
            <p className="post-text" dir="auto" title={post.text.length > text.length ? post.text : undefined}>
              {text}
            </p>
          )}
          <p className="post-meta muted">
            {post.createdAt && (
              <time dateTime={post.createdAt} title={formatFullDateTime(post.createdAt)}>
                Posted {formatDateTime(post.createdAt)}
              </time>
            )}
            {permalink && (
              <a href={permalink} target="_blank" rel="noopener noreferrer">
                View on {channelKindNames[channelKind]}
              </a>
            )}
          </p>
        </div>
      </article>
    </li>
  )
}
