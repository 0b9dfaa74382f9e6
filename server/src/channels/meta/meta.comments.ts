/**
 * Acting on a public comment, and reading the post it is under, on Facebook and Instagram (specs/outreach.md §4):
 * hide or show again, delete, like; the post's text, link and picture.
 */
import type { ChannelRuntime, CommentAction, PlatformPost } from '../connector.js'
import { apiUrl, graphDelete, graphGet, graphPost } from './meta.graph.js'
import { readId } from './meta.payloads.js'

/** A moderation call answers at once; beyond this the outcome is unknown, and the job tries again (each is harmless twice). */
const actionTimeoutMs = 8_000

export async function facebookCommentAction(action: CommentAction, commentId: string, channel: ChannelRuntime): Promise<void> {
  const { apiBaseUrl } = channel.config
  const token = channel.secrets.accessToken
  switch (action) {
    case 'hide':
    case 'unhide':
      await graphPost(apiUrl(apiBaseUrl, commentId), token, { is_hidden: action === 'hide' }, 'Facebook', actionTimeoutMs)
      return
    case 'delete':
      return graphDelete(apiUrl(apiBaseUrl, commentId), token, 'Facebook', actionTimeoutMs)
    case 'like':
      await graphPost(apiUrl(apiBaseUrl, commentId, 'likes'), token, {}, 'Facebook', actionTimeoutMs)
  }
}

export async function instagramCommentAction(action: CommentAction, commentId: string, channel: ChannelRuntime): Promise<void> {
  const { apiBaseUrl } = channel.config
  const token = channel.secrets.accessToken
  switch (action) {
    case 'hide':
    case 'unhide':
      await graphPost(apiUrl(apiBaseUrl, commentId), token, { hide: action === 'hide' }, 'Instagram', actionTimeoutMs)
      return
    case 'delete':
      return graphDelete(apiUrl(apiBaseUrl, commentId), token, 'Instagram', actionTimeoutMs)
    case 'like':
      // Liked by the account itself: POST /{ig-user-id}/likes {comment_id}.
      await graphPost(apiUrl(apiBaseUrl, channel.externalId, 'likes'), token, { comment_id: commentId }, 'Instagram', actionTimeoutMs)
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : null)

export async function fetchFacebookPost(ids: Record<string, string>, channel: ChannelRuntime): Promise<PlatformPost | null> {
  if (!ids.postId) return null
  const url = new URL(apiUrl(channel.config.apiBaseUrl, ids.postId))
  url.searchParams.set('fields', 'id,message,permalink_url,created_time,full_picture')
  const body = await graphGet(url.toString(), channel.secrets.accessToken, 'Facebook')
  return {
    externalId: readId(body.id) ?? ids.postId,
    text: text(body.message) ?? '',
    permalink: text(body.permalink_url),
    createdAt: text(body.created_time) ? new Date(body.created_time as string).toISOString() : null,
    pictureUrl: text(body.full_picture),
  }
}

export async function fetchInstagramMedia(ids: Record<string, string>, channel: ChannelRuntime): Promise<PlatformPost | null> {
  if (!ids.mediaId) return null
  const url = new URL(apiUrl(channel.config.apiBaseUrl, ids.mediaId))
  url.searchParams.set('fields', 'id,caption,media_type,media_url,thumbnail_url,permalink,timestamp')
  const body = await graphGet(url.toString(), channel.secrets.accessToken, 'Instagram')
  return {
    externalId: readId(body.id) ?? ids.mediaId,
    text: text(body.caption) ?? '',
    permalink: text(body.permalink),
    createdAt: text(body.timestamp) ? new Date(body.timestamp as string).toISOString() : null,
    // A video's picture is its thumbnail.
    pictureUrl: body.media_type === 'VIDEO' ? text(body.thumbnail_url) : text(body.media_url),
  }
}
