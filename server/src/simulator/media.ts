import { createHash } from 'node:crypto'
import type { SimState } from './state.js'
import type { RecordedMedia, SimAccount, SimMedia } from './types.js'

/**
 * Files our accounts send: multipart bodies as the platforms take them, and the uploads kept by id so a later send
 * can name one (WhatsApp media id, X media id, Mastodon attachment id, Bluesky blob cid).
 */

/** One file part of a multipart/form-data body. */
export interface FormFile {
  filename: string
  mimeType: string
  data: Buffer
}

/** Uploads may be larger than the simulator's JSON body limit: WhatsApp takes documents up to 100 MB. */
export const uploadBodyLimit = 110 * 1024 * 1024

export function isFormFile(value: unknown): value is FormFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as FormFile).data) && typeof (value as FormFile).filename === 'string'
}

/**
 * A multipart/form-data body as a plain object: text fields as strings (repeated ones as arrays, like form bodies),
 * file parts as FormFile. Parsed by Node's own fetch (undici), the same code that builds our connectors' bodies.
 */
export async function parseMultipart(contentType: string, body: Buffer): Promise<Record<string, string | string[] | FormFile>> {
  const form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData()
  const out: Record<string, string | string[] | FormFile> = {}
  for (const [name, value] of form) {
    if (typeof value !== 'string') {
      out[name] = { filename: value.name, mimeType: value.type, data: Buffer.from(await value.arrayBuffer()) }
      continue
    }
    const existing = out[name]
    out[name] = existing === undefined || isFormFile(existing) ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return out
}

/** The file part `name` of a parsed body, if it is one. */
export function fileParam(params: Record<string, unknown>, name: string): FormFile | undefined {
  const value = params[name]
  return isFormFile(value) ? value : undefined
}

/** What a recorded body shows of a file part: its name, type and size, not its bytes. */
export function describeBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Buffer.isBuffer(body) || Array.isArray(body)) return body
  const entries = Object.entries(body as Record<string, unknown>)
  if (!entries.some(([, value]) => isFormFile(value))) return body
  return Object.fromEntries(
    entries.map(([key, value]) => [key, isFormFile(value) ? { filename: value.filename, mimeType: value.mimeType, size: value.data.length } : value]),
  )
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * A long-running simulator (the demo) keeps at most this many bytes of uploads: the oldest go first, as platforms
 * expire theirs (WhatsApp media after 30 days, X media after a day).
 */
const maxStoredBytes = 256 * 1024 * 1024

/** Keeps an upload of `account` under `id`. */
export function storeMedia(
  state: SimState,
  account: SimAccount,
  upload: { id: string; name?: string; mimeType: string; bytes: Buffer; category?: string; isProcessed?: boolean },
): SimMedia {
  const media: SimMedia = {
    id: upload.id,
    kind: account.kind,
    accountExternalId: account.externalId,
    ...(upload.name ? { name: upload.name } : {}),
    mimeType: upload.mimeType,
    size: upload.bytes.length,
    sha256: sha256Hex(upload.bytes),
    bytes: upload.bytes,
    ...(upload.category ? { category: upload.category } : {}),
    isProcessed: upload.isProcessed ?? true,
    uploadedAt: new Date(),
  }
  state.media.delete(media.id)
  state.media.set(media.id, media)
  let stored = 0
  for (const item of state.media.values()) stored += item.size
  for (const [id, item] of state.media) {
    if (stored <= maxStoredBytes || id === media.id) break
    state.media.delete(id)
    stored -= item.size
  }
  return media
}

/** An upload of `account` by id: undefined for an unknown one or another account's (the platforms refuse both alike). */
export function ownMedia(state: SimState, account: SimAccount, id: string): SimMedia | undefined {
  const media = state.media.get(id)
  return media && media.kind === account.kind && media.accountExternalId === account.externalId ? media : undefined
}

/** What the customer got of an upload, for RecordedSend.media. */
export function recordedMedia(media: SimMedia, extra: { name?: string; caption?: string } = {}): RecordedMedia {
  const name = extra.name ?? media.name
  return {
    mediaId: media.id,
    ...(name ? { name } : {}),
    mimeType: media.mimeType,
    size: media.size,
    sha256: media.sha256,
    ...(extra.caption ? { caption: extra.caption } : {}),
  }
}

/** What the customer got of a file sent within the message itself (Messenger filedata). */
export function recordedFile(file: FormFile, extra: { mediaId?: string; caption?: string } = {}): RecordedMedia {
  return {
    ...(extra.mediaId ? { mediaId: extra.mediaId } : {}),
    ...(file.filename ? { name: file.filename } : {}),
    mimeType: file.mimeType,
    size: file.data.length,
    sha256: sha256Hex(file.data),
    ...(extra.caption ? { caption: extra.caption } : {}),
  }
}

/** Where the simulator serves an uploaded file's bytes (GET /_sim/uploads/:id), so links in echoes stay on loopback. */
export function uploadUrl(state: SimState, id: string): string {
  return `${state.url}/_sim/uploads/${encodeURIComponent(id)}`
}

/** The first bytes of the common image formats: platforms that recompress pictures refuse what is not one. */
export function isImage(bytes: Buffer): boolean {
  const startsWith = (signature: number[], offset = 0) => signature.every((byte, index) => bytes[offset + index] === byte)
  return (
    startsWith([0xff, 0xd8, 0xff]) ||
    startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ||
    startsWith([0x47, 0x49, 0x46, 0x38]) ||
    (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8))
  )
}
