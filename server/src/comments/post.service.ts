import type { ChannelKind, Post } from '@carebox/shared'
import { Value } from '@sinclair/typebox/value'
import { Type } from '@sinclair/typebox'
import type { Identity } from '../auth/identity.js'
import { assertConversationVisible } from '../auth/scope.js'
import { cachedChannel } from '../channels/channel-cache.js'
import { ConnectorError, type PlatformPost } from '../channels/connector.js'
import { connectors } from '../channels/connectors.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { safeFetch, SafeFetchError } from '../media/safe-fetch.js'
import { sniffImageType } from '../media/sniff.js'
import { mediaMaxBytes } from '@carebox/shared'

const StoredPost = Type.Object({
  externalId: Type.String(),
  text: Type.String(),
  permalink: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  pictureUrl: Type.Union([Type.String(), Type.Null()]),
})

function toPost(conversationId: string, post: PlatformPost): Post {
  return {
    externalId: post.externalId,
    text: post.text,
    permalink: post.permalink,
    createdAt: post.createdAt,
    pictureUrl: post.pictureUrl ? `/api/conversations/${encodeURIComponent(conversationId)}/post/picture` : null,
  }
}

/** The stored post of a public thread, read from the platform the first time it is asked for. */
async function loadPost(ctx: AppContext, identity: Identity, conversationId: string): Promise<PlatformPost | null> {
  await assertConversationVisible(ctx.db, identity, conversationId)
  const conversation = await ctx.db.selectFrom('conversations').select(['kind', 'channelId', 'post']).where('id', '=', conversationId).executeTakeFirstOrThrow()
  if (conversation.kind !== 'public') return null
  if (Value.Check(StoredPost, conversation.post)) return conversation.post
  const channel = await cachedChannel(ctx, conversation.channelId)
  const fetchPost = channel ? connectors[channel.row.kind as ChannelKind].fetchPost : undefined
  if (!channel || !fetchPost) return null
  // The ids the thread's comments carry (a Facebook postId, an Instagram mediaId).
  const first = await ctx.db
    .selectFrom('messages')
    .select('replyContext')
    .where('conversationId', '=', conversationId)
    .where('direction', '=', 'inbound')
    .where('replyContext', 'is not', null)
    .orderBy('sentAt')
    .executeTakeFirst()
  const ids = Object.fromEntries(
    Object.entries((first?.replyContext ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
  )
  let post: PlatformPost | null
  try {
    post = await fetchPost(ids, channel.runtime)
  } catch (error) {
    if (error instanceof ConnectorError) throw new AppError('unavailable', `The platform did not describe the post: ${error.message}`)
    throw error
  }
  if (post)
    await ctx.db
      .updateTable('conversations')
      .set({ post: JSON.stringify(post) })
      .where('id', '=', conversationId)
      .execute()
  return post
}

export async function conversationPost(ctx: AppContext, identity: Identity, conversationId: string): Promise<{ post: Post | null }> {
  const post = await loadPost(ctx, identity, conversationId)
  return { post: post ? toPost(conversationId, post) : null }
}

/** The post's picture, through the same guard as attachments: no private address, an image or nothing, capped. */
export async function postPicture(ctx: AppContext, identity: Identity, conversationId: string): Promise<{ body: Buffer; contentType: string }> {
  const post = await loadPost(ctx, identity, conversationId)
  if (!post?.pictureUrl) throw new AppError('not_found', 'This post has no picture.')
  try {
    const { body } = await safeFetch(post.pictureUrl, { allowOrigins: ctx.runtime.mediaAllowOrigins, maxBytes: mediaMaxBytes, timeoutMs: 15_000 })
    const contentType = sniffImageType(body)
    if (!contentType) throw new AppError('unsupported_media_type', 'The post’s picture is not an image Carebox shows.')
    return { body, contentType }
  } catch (error) {
    if (error instanceof SafeFetchError) throw new AppError('unavailable', `The post's picture could not be fetched: ${error.message}`)
    throw error
  }
}
