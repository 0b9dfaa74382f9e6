import { Type, type Static } from '@sinclair/typebox'
import { Id, IsoDateTime } from './common.js'
import { defineRoute } from './contract.js'
import { Message } from './conversations.js'

/**
 * Public comments, one person at a time (Facebook and Instagram): each comment of a public thread can be
 * answered publicly under it or privately by message (once, within 7 days), hidden or shown again, deleted or
 * liked. Actions go through an outbox with retries and are audited. Wire formats: specs/outreach.md §4.
 */
export const commentActionKinds = ['hide', 'unhide', 'delete', 'like'] as const
export type CommentActionKind = (typeof commentActionKinds)[number]

export const commentActionLabels: Record<CommentActionKind, string> = {
  hide: 'Hide',
  unhide: 'Unhide',
  delete: 'Delete',
  like: 'Like',
}

/** How long after a comment the platform accepts its one private reply. */
export const privateReplyWindowMs = 7 * 24 * 60 * 60 * 1000

/** The post a public thread is about, as the platform describes it. */
export const Post = Type.Object({
  externalId: Type.String(),
  text: Type.String(),
  permalink: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Union([IsoDateTime, Type.Null()]),
  /** Where the console loads the post's picture from (through Carebox), or null when it has none. */
  pictureUrl: Type.Union([Type.String(), Type.Null()]),
})
export type Post = Static<typeof Post>

export const commentsApi = {
  act: defineRoute({
    method: 'POST',
    url: '/api/messages/:id/comment-actions',
    summary: "Hide, unhide, delete or like a customer's public comment: queued, then done on the platform with retries",
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      params: Type.Object({ id: Id }),
      body: Type.Object({ action: Type.Union(commentActionKinds.map((a) => Type.Literal(a))) }, { additionalProperties: false }),
      response: { 200: Message },
    },
  }),
  post: defineRoute({
    method: 'GET',
    url: '/api/conversations/:id/post',
    summary: 'The post a public thread is about (read from the platform once, then kept)',
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: { params: Type.Object({ id: Id }), response: { 200: Type.Object({ post: Type.Union([Post, Type.Null()]) }) } },
  }),
  postPicture: defineRoute({
    method: 'GET',
    url: '/api/conversations/:id/post/picture',
    summary: "The post's picture, fetched through Carebox: never from a private address, type sniffed, size capped",
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: { params: Type.Object({ id: Id }), response: { 200: Type.String({ description: 'The picture bytes' }) } },
  }),
}
