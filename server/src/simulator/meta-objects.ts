import { createHash } from 'node:crypto'
import { graphTime } from './graph.js'
import { requireAccount, type CommentRef, type SimState, type StoredPost } from './state.js'
import type { SimAccount, SimComment, SimPost, SimPostInput } from './types.js'

/**
 * The Facebook posts, Instagram media and comments the Graph routes read and change. Posts are made up the first
 * time a comment names one, so a connector reading "the post this comment is about" always finds it; the picture
 * is served by the simulator itself (/_sim/media), so nothing leaves loopback.
 */

const dayMs = 86_400_000

const postTexts = [
  'Our spring collection is in stores now. Which colour would you pick?',
  'We are open this Sunday from 10:00 to 16:00. Come and say hello!',
  'New in: the everyday tote, now in three sizes.',
  'Thank you for 10,000 followers! 15% off everything this weekend with code THANKS15.',
  'Free delivery on every order until Friday.',
  'Behind the scenes at our workshop: every piece is checked by hand before it ships.',
]

const hashtags = ['#newin', '#weekend', '#handmade', '#shoplocal', '#thankyou', '#behindthescenes']

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest()
}

/** An Instagram shortcode (the /p/<code>/ of a permalink), stable for a media id. */
function shortcode(mediaId: string): string {
  return digest(`shortcode:${mediaId}`).toString('base64url').slice(0, 11)
}

function madeUpPost(state: SimState, account: SimAccount, id: string, createdAt: Date): SimPost {
  const pick = (digest(`post:${id}`)[0] ?? 0) % postTexts.length
  const pictureUrl = `${state.url}/_sim/media/post-${id}.png`
  if (account.kind === 'instagram') {
    const text = `${postTexts[pick]} ${hashtags[pick]}`
    return {
      kind: 'instagram',
      id,
      accountExternalId: account.externalId,
      text,
      permalink: `https://www.instagram.com/p/${shortcode(id)}/`,
      createdAt,
      pictureUrl,
    }
  }
  const [pageId, postNumber] = id.includes('_') ? id.split('_') : [account.externalId, id]
  const permalink = `https://www.facebook.com/${pageId}/posts/${postNumber}`
  return { kind: 'facebook', id, accountExternalId: account.externalId, text: postTexts[pick] ?? '', permalink, createdAt, pictureUrl }
}

/** The post a customer's comment of `at` lands under: made up (a day before the comment) when unknown. */
export function rememberPost(state: SimState, account: SimAccount, id: string, at: Date): void {
  const existing = state.meta.posts.get(id)
  const createdAt = new Date(at.getTime() - dayMs)
  if (!existing) {
    state.meta.posts.set(id, { ...madeUpPost(state, account, id, createdAt), isMadeUp: true })
    return
  }
  // A made-up post is never younger than a comment under it.
  if (existing.isMadeUp && existing.createdAt.getTime() > createdAt.getTime()) existing.createdAt = createdAt
}

/** A test's own post or media, replacing what the simulator knew of it; unset fields are made up. */
export function addPost(state: SimState, accountExternalId: string, input: SimPostInput): SimPost {
  const account = requireAccount(state, accountExternalId)
  if (account.kind !== 'facebook' && account.kind !== 'instagram') throw new Error(`Posts belong to Facebook Pages and Instagram accounts, not ${account.kind}`)
  const madeUp = madeUpPost(state, account, input.id, input.createdAt ?? new Date(Date.now() - dayMs))
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as SimPostInput
  const post: StoredPost = { ...madeUp, ...given, createdAt: new Date(given.createdAt ?? madeUp.createdAt), isMadeUp: false }
  state.meta.posts.set(post.id, post)
  return copyPost(post)
}

export function copyPost({ isMadeUp: _isMadeUp, ...post }: StoredPost): SimPost {
  return { ...post, createdAt: new Date(post.createdAt) }
}

/**
 * The node `GET /{post-id}` (Page post) or `GET /{ig-media-id}` answers before `fields` narrows it; without
 * `fields`, Graph gives a post's created_time, message and id, and a media's id only.
 * https://developers.facebook.com/docs/graph-api/reference/page-post ,
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media
 */
export function postNode(state: SimState, post: SimPost): { node: Record<string, unknown>; defaultFields: string } {
  const picture = post.pictureUrl
  if (post.kind === 'instagram') {
    const commentsCount = [...state.meta.comments.values()].filter((comment) => comment.postId === post.id && !comment.isDeleted).length
    const node = {
      id: post.id,
      caption: post.text,
      media_type: 'IMAGE',
      media_product_type: 'FEED',
      ...(picture ? { media_url: picture } : {}),
      permalink: post.permalink,
      timestamp: graphTime(post.createdAt),
      comments_count: commentsCount,
    }
    return { node, defaultFields: 'id' }
  }
  const node = {
    id: post.id,
    message: post.text,
    permalink_url: post.permalink,
    created_time: graphTime(post.createdAt),
    ...(picture ? { full_picture: picture } : {}),
    status_type: picture ? 'added_photos' : 'mobile_status_update',
    ...(picture ? { attachments: { data: [{ media_type: 'photo', url: post.permalink, media: { image: { height: 160, width: 240, src: picture } } }] } } : {}),
  }
  return { node, defaultFields: 'created_time,message' }
}

/** A comment as its platform sees it now, or undefined when the simulator never saw it. */
export function commentView(state: SimState, id: string): SimComment | undefined {
  const comment = state.meta.comments.get(id)
  if (!comment) return undefined
  const kind = state.accounts.get(comment.accountExternalId)?.kind === 'instagram' ? 'instagram' : 'facebook'
  return {
    id,
    kind,
    accountExternalId: comment.accountExternalId,
    postId: comment.postId,
    authorId: comment.authorId,
    text: comment.text,
    at: new Date(comment.at),
    isHidden: comment.isHidden ?? false,
    isLiked: comment.isLiked ?? false,
    isDeleted: comment.isDeleted ?? false,
    hasPrivateReply: comment.hasPrivateReply ?? false,
  }
}

/** The comment is gone from the platform (its author or Meta removed it); no webhook is sent. Throws for an unknown comment. */
export function markCommentDeleted(state: SimState, id: string): void {
  const comment: CommentRef | undefined = state.meta.comments.get(id)
  if (!comment) throw new Error(`The simulator has no comment ${id}: write it with customerWrites first`)
  comment.isDeleted = true
}
