import type { FastifyReply, FastifyRequest } from 'fastify'
import { graphError, graphToken, param100, tokenProblem, unknownObject, type GraphRoute } from './graph.js'
import { numericId } from './ids.js'
import { fileParam, ownMedia, recordedFile, recordedMedia, storeMedia, uploadUrl, type FormFile } from './media.js'
import { answer, enterCall, requestParams, stringParam } from './platform-call.js'
import { findAccount, type SimState } from './state.js'
import type { RecordedMedia, SimAccount } from './types.js'

/**
 * Files on Meta: WhatsApp's media upload (`POST /{phone-number-id}/media`) and the media its messages name by id,
 * and Send API attachments (Messenger, Instagram) uploaded as `filedata` with the message.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media ,
 * https://developers.facebook.com/docs/messenger-platform/send-messages#sending_attachments
 */

const mb = 1024 * 1024

/** The types and sizes WhatsApp Cloud API takes (its media reference, "Supported media types"). */
const whatsappMediaLimits: Record<string, number> = {
  'audio/aac': 16 * mb,
  'audio/amr': 16 * mb,
  'audio/mpeg': 16 * mb,
  'audio/mp4': 16 * mb,
  'audio/ogg': 16 * mb,
  'audio/opus': 16 * mb,
  'text/plain': 100 * mb,
  'application/pdf': 100 * mb,
  'application/msword': 100 * mb,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100 * mb,
  'application/vnd.ms-excel': 100 * mb,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100 * mb,
  'application/vnd.ms-powerpoint': 100 * mb,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 100 * mb,
  'image/jpeg': 5 * mb,
  'image/png': 5 * mb,
  // Stickers.
  'image/webp': 500 * 1024,
  'video/mp4': 16 * mb,
  'video/3gpp': 16 * mb,
}

const whatsappMediaError = (details: string) => graphError(131053, '(#131053) Media upload error', { error_data: { messaging_product: 'whatsapp', details } })

/**
 * POST /{phone-number-id}/media: multipart `messaging_product=whatsapp`, `file` (with its type) and `type`.
 * Answers `{id}`; the media belongs to that phone number, whose messages may name it.
 */
export async function uploadWhatsAppMedia(state: SimState, request: FastifyRequest<GraphRoute>, reply: FastifyReply) {
  const account = findAccount(state, request.params.id, ['whatsapp'])
  if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'upload', account })) return reply
  if (!account) return answer(state, request, reply, 400, unknownObject(request.params.id, 'post'))
  const problem = tokenProblem(account, graphToken(request))
  if (problem) return answer(state, request, reply, problem.status, problem.body)
  const params = requestParams(request)
  if (stringParam(params, 'messaging_product') !== 'whatsapp') {
    return answer(state, request, reply, 400, param100('The parameter messaging_product is required.'))
  }
  const file = fileParam(params, 'file')
  if (!file) return answer(state, request, reply, 400, param100('The parameter file is required.'))
  const mimeType = file.mimeType || stringParam(params, 'type')
  const limit = whatsappMediaLimits[mimeType]
  if (limit === undefined) {
    const types = Object.keys(whatsappMediaLimits).join(', ')
    return answer(state, request, reply, 400, param100(`Param file must be a file with one of the following types: ${types}.`))
  }
  if (file.data.length === 0) return answer(state, request, reply, 400, whatsappMediaError('The file is empty.'))
  if (file.data.length > limit) {
    return answer(state, request, reply, 400, whatsappMediaError(`The file is ${file.data.length} bytes; ${mimeType} is limited to ${limit} bytes.`))
  }
  const media = storeMedia(state, account, { id: numericId(16), name: file.filename, mimeType, bytes: file.data })
  return answer(state, request, reply, 200, { id: media.id })
}

export const whatsappMediaTypes = ['image', 'video', 'audio', 'document', 'sticker'] as const

/**
 * A WhatsApp message's media object (`{ id | link, caption?, filename? }`): the Graph error to answer, or what the
 * customer gets. A media id must be one this phone number uploaded.
 */
export function whatsappMediaOf(
  state: SimState,
  account: SimAccount,
  type: (typeof whatsappMediaTypes)[number],
  media: Record<string, unknown>,
): { error: object } | { media?: RecordedMedia } {
  const caption = typeof media.caption === 'string' ? media.caption : undefined
  if (caption !== undefined && (type === 'audio' || type === 'sticker')) {
    return { error: param100(`Param ${type}['caption'] is not a valid parameter.`) }
  }
  if (caption && caption.length > 1024) return { error: param100(`Param ${type}['caption'] must be at most 1024 characters long.`) }
  const id = typeof media.id === 'string' ? media.id : undefined
  if (!id) {
    if (typeof media.link === 'string' && media.link) return {}
    const details = `Parameter '${type}' requires either 'id' or 'link'.`
    return { error: graphError(131008, '(#131008) Required parameter is missing', { error_data: { messaging_product: 'whatsapp', details } }) }
  }
  const uploaded = ownMedia(state, account, id)
  if (!uploaded) {
    const details = `Invalid media id ${id}: it is unknown, or was uploaded by another phone number.`
    return { error: graphError(131009, '(#131009) Parameter value is not valid', { error_data: { messaging_product: 'whatsapp', details } }) }
  }
  const filename = type === 'document' && typeof media.filename === 'string' ? media.filename : undefined
  return { media: recordedMedia(uploaded, { ...(filename ? { name: filename } : {}), ...(caption ? { caption } : {}) }) }
}

const attachmentTypes = ['image', 'video', 'audio', 'file', 'template']

const uploadFailure = () => graphError(100, '(#100) Upload attachment failure.', { error_subcode: 2018047 })

/** Does a Send API attachment of `type` take a file of this MIME type? A `file` takes anything. */
function fitsAttachmentType(type: string, mimeType: string): boolean {
  return type === 'file' || mimeType.startsWith(`${type}/`)
}

export interface MessagingAttachment {
  type: string
  /** Where the echo's payload.url points: the simulator serves the bytes at /_sim/uploads/:id. */
  url?: string
  media?: RecordedMedia
  /** Answered as attachment_id when the send asked for `is_reusable`. */
  attachmentId?: string
}

/**
 * A Send API `message.attachment`: by `payload.url`, a saved `payload.attachment_id`, or the `filedata` part of
 * the same multipart request (up to 25 MB). The Graph error to answer, or the attachment as sent.
 */
export function messagingAttachmentOf(
  state: SimState,
  account: SimAccount,
  attachment: unknown,
  filedata: FormFile | undefined,
): { error: object } | { attachment: MessagingAttachment } {
  if (typeof attachment !== 'object' || attachment === null) return { error: param100('Param message[attachment] must be an object') }
  const { type, payload } = attachment as { type?: unknown; payload?: Record<string, unknown> }
  if (typeof type !== 'string' || !attachmentTypes.includes(type)) {
    return { error: param100('Param message[attachment][type] must be one of {image, audio, video, file, template}') }
  }
  if (type === 'template') return { attachment: { type } }
  const url = typeof payload?.url === 'string' ? payload.url : undefined
  const savedId = payload?.attachment_id !== undefined ? String(payload.attachment_id) : undefined
  const given = [url, savedId, filedata].filter((value) => value !== undefined).length
  if (given !== 1) {
    return { error: graphError(100, '(#100) Incorrect number of files uploaded. Must upload exactly one file.', { error_subcode: 2018047 }) }
  }
  if (url) return { attachment: { type, url } }
  if (savedId) {
    // Only the Page (or account) that saved an attachment may send it again.
    const saved = ownMedia(state, account, savedId)
    if (!saved) return { error: unknownObject(savedId, 'get') }
    if (!fitsAttachmentType(type, saved.mimeType)) return { error: uploadFailure() }
    return { attachment: { type, url: uploadUrl(state, saved.id), media: recordedMedia(saved) } }
  }
  const file = filedata!
  if (file.data.length === 0 || file.data.length > 25 * mb || !fitsAttachmentType(type, file.mimeType)) return { error: uploadFailure() }
  const stored = storeMedia(state, account, { id: numericId(16), name: file.filename, mimeType: file.mimeType, bytes: file.data })
  const isReusable = payload?.is_reusable === true || payload?.is_reusable === 'true'
  return {
    attachment: {
      type,
      url: uploadUrl(state, stored.id),
      media: recordedFile(file, isReusable ? { mediaId: stored.id } : {}),
      ...(isReusable ? { attachmentId: stored.id } : {}),
    },
  }
}
