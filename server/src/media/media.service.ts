import { MessageAttachment, mediaMaxBytes } from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { Identity } from '../auth/identity.js'
import { assertConversationVisible } from '../auth/scope.js'
import { cachedChannel } from '../channels/channel-cache.js'
import { apiUrl } from '../channels/meta/meta.graph.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { readStoredFile } from '../files/files.service.js'
import { attachmentContentDisposition } from './attachment-name.js'
import { findMessageAttachments } from './media.repository.js'
import { SafeFetchError, safeFetch, type SafeFetchOptions } from './safe-fetch.js'
import { sniffImageType } from './sniff.js'

type StoredAttachment = Static<typeof MessageAttachment>

export interface AttachmentFile {
  body: Buffer
  contentType: string
  contentDisposition: string
}

const fetchTimeoutMs = 15_000
/** A Graph media node is a few hundred bytes of JSON. */
const graphNodeMaxBytes = 64 * 1024
/**
 * Kinds that are files on the platform. A location's url is a map link the customer chose: a web page for the
 * agent's browser, not something the server fetches.
 */
const downloadableKinds = new Set(['image', 'video', 'audio', 'file', 'sticker'])

const noSuchMessage = () => new AppError('not_found', 'No such message.')

/**
 * One attachment of a message, fetched from the platform for a caller who may see the conversation. Image types
 * the console shows inline keep their (sniffed) type; everything else becomes an opaque download.
 */
export async function readAttachment(ctx: AppContext, identity: Identity, messageId: string, index: number): Promise<AttachmentFile> {
  const message = await findMessageAttachments(ctx.db, messageId)
  if (!message) throw noSuchMessage()
  // Another team's message answers exactly as a missing one does: the answer must not confirm that the id exists.
  await assertConversationVisible(ctx.db, identity, message.conversationId).catch((error: unknown) => {
    throw error instanceof AppError && error.code === 'not_found' ? noSuchMessage() : error
  })
  const attachment = attachmentAt(message.attachments, index)
  if (!attachment || !downloadableKinds.has(attachment.kind)) throw new AppError('not_found', 'No such attachment.')

  // A file an agent sent is Carebox's own copy, checked when it was uploaded: no platform to ask.
  const stored = attachment.fileId ? await readStoredFile(ctx, attachment.fileId) : undefined
  if (attachment.fileId && !stored) throw new AppError('not_found', 'This file is no longer stored.')
  const body = stored?.data ?? (await download(ctx, message.channelId, attachment))

  const imageType = sniffImageType(body)
  if (imageType) return { body, contentType: imageType, contentDisposition: 'inline' }
  return { body, contentType: 'application/octet-stream', contentDisposition: attachmentContentDisposition(attachment.name) }
}

function attachmentAt(attachments: unknown, index: number): StoredAttachment | undefined {
  const item: unknown = Array.isArray(attachments) ? attachments[index] : undefined
  return Value.Check(MessageAttachment, item) ? item : undefined
}

function fetchOptions(ctx: AppContext, overrides: Partial<SafeFetchOptions> = {}): SafeFetchOptions {
  return { allowOrigins: ctx.runtime.mediaAllowOrigins, maxBytes: mediaMaxBytes, timeoutMs: fetchTimeoutMs, ...overrides }
}

async function download(ctx: AppContext, channelId: string, attachment: StoredAttachment): Promise<Buffer> {
  try {
    if (attachment.url) return (await safeFetch(attachment.url, fetchOptions(ctx))).body
    if (attachment.mediaId) return await downloadWhatsAppMedia(ctx, channelId, attachment.mediaId)
  } catch (error) {
    throw toAppError(ctx, error)
  }
  throw new AppError('not_found', 'No such attachment.')
}

/**
 * WhatsApp sends media ids, not URLs: the Graph media node (GET {apiBaseUrl}/{media-id}, apiBaseUrl already
 * carrying the version) names a short-lived URL, which wants the same bearer token.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media
 */
async function downloadWhatsAppMedia(ctx: AppContext, channelId: string, mediaId: string): Promise<Buffer> {
  const channel = await cachedChannel(ctx, channelId)
  if (channel?.runtime.kind !== 'whatsapp') throw new AppError('not_found', 'No such attachment.')
  const token = channel.runtime.secrets.accessToken
  if (!token) throw new AppError('unavailable', 'The WhatsApp channel has no access token: reconnect it to load attachments.')
  const headers = { authorization: `Bearer ${token}` }

  const node = await safeFetch(apiUrl(channel.runtime.config.apiBaseUrl, mediaId), fetchOptions(ctx, { maxBytes: graphNodeMaxBytes, headers }))
  const url = mediaUrlOf(node.body)
  if (!url) throw new AppError('unavailable', 'WhatsApp did not say where this attachment is.')
  return (await safeFetch(url, fetchOptions(ctx, { headers }))).body
}

function mediaUrlOf(body: Buffer): string | undefined {
  try {
    const node: unknown = JSON.parse(body.toString('utf8'))
    const url = typeof node === 'object' && node !== null ? (node as { url?: unknown }).url : undefined
    return typeof url === 'string' && url !== '' ? url : undefined
  } catch {
    return undefined
  }
}

/** Upstream bodies never reach the caller: only the reason, in our words. */
function toAppError(ctx: AppContext, error: unknown): unknown {
  if (!(error instanceof SafeFetchError)) return error
  ctx.log.warn({ reason: error.reason, status: error.status, detail: error.message }, 'attachment fetch failed')
  switch (error.reason) {
    case 'blocked_address':
    case 'bad_url':
      return new AppError('forbidden', "This attachment's address is not allowed.")
    case 'too_large':
      return new AppError('payload_too_large', `This attachment is larger than ${mediaMaxBytes / (1024 * 1024)} MB.`)
    case 'timeout':
    case 'bad_status':
    case 'too_many_redirects':
    case 'unreachable':
      return new AppError('unavailable', 'The platform did not deliver this attachment; try again later.')
  }
}
