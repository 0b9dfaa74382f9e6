import { Type } from '@sinclair/typebox'
import { Id } from './common.js'
import { defineRoute } from './contract.js'

/** Largest attachment the proxy passes on; bigger ones answer 413. */
export const mediaMaxBytes = 10 * 1024 * 1024

/** Image types the console shows inline; any other attachment is offered as a download. */
export const inlineImageTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const

export const mediaApi = {
  attachment: defineRoute({
    method: 'GET',
    url: '/api/messages/:id/attachments/:index',
    summary: "A message's attachment, fetched from the platform through Carebox: never from a private address, type sniffed, size capped",
    tags: ['conversations'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: {
      params: Type.Object({ id: Id, index: Type.Integer({ minimum: 0, maximum: 99 }) }),
      response: { 200: Type.String({ description: 'The attachment bytes' }) },
    },
  }),
}

/** Where the console loads an attachment from. */
export function attachmentUrl(messageId: string, index: number): string {
  return `/api/messages/${encodeURIComponent(messageId)}/attachments/${index}`
}
