import { Type, type Static } from '@sinclair/typebox'
import type { ChannelKind } from './channels.js'
import { Id } from './common.js'
import { defineRoute } from './contract.js'

/**
 * Files an agent sends: what each platform accepts in a reply, written once. The composer refuses what the server
 * would refuse, and the server refuses what the platform would reject, before anything is stored or sent.
 * Types and sizes from each platform's media documentation (see docs/files.md for the sources and limits).
 */
export const outboundFileKinds = ['image', 'video', 'audio', 'file'] as const
export type OutboundFileKind = (typeof outboundFileKinds)[number]

export interface FileRule {
  kind: OutboundFileKind
  mimeTypes: readonly string[]
  maxBytes: number
  /**
   * The longest text the platform carries with this file in one message. 0: none (Messenger and Instagram
   * attachments, WhatsApp audio): the reply's text then goes as a message of its own, right after the file.
   */
  captionMaxLength: number
}

export type OutboundFiles = { allowed: true; rules: readonly FileRule[] } | { allowed: false; reason: string }

const mb = 1024 * 1024

const jpegPng = ['image/jpeg', 'image/png'] as const
const webImages = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const
const office = [
  'application/pdf',
  'text/plain',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const

const whatsapp: readonly FileRule[] = [
  { kind: 'image', mimeTypes: jpegPng, maxBytes: 5 * mb, captionMaxLength: 1024 },
  { kind: 'video', mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * mb, captionMaxLength: 1024 },
  { kind: 'audio', mimeTypes: ['audio/aac', 'audio/mp4', 'audio/mpeg', 'audio/amr', 'audio/ogg'], maxBytes: 16 * mb, captionMaxLength: 0 },
  { kind: 'file', mimeTypes: office, maxBytes: 100 * mb, captionMaxLength: 1024 },
]
const messenger: readonly FileRule[] = [
  { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 25 * mb, captionMaxLength: 0 },
  { kind: 'video', mimeTypes: ['video/mp4'], maxBytes: 25 * mb, captionMaxLength: 0 },
  { kind: 'audio', mimeTypes: ['audio/mpeg', 'audio/mp4', 'audio/aac'], maxBytes: 25 * mb, captionMaxLength: 0 },
  { kind: 'file', mimeTypes: office, maxBytes: 25 * mb, captionMaxLength: 0 },
]
const instagram: readonly FileRule[] = [
  { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 8 * mb, captionMaxLength: 0 },
  { kind: 'video', mimeTypes: ['video/mp4', 'video/quicktime', 'video/webm'], maxBytes: 25 * mb, captionMaxLength: 0 },
  { kind: 'audio', mimeTypes: ['audio/aac', 'audio/mp4', 'audio/wav'], maxBytes: 25 * mb, captionMaxLength: 0 },
]
const telegram: readonly FileRule[] = [
  { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 10 * mb, captionMaxLength: 1024 },
  { kind: 'video', mimeTypes: ['video/mp4'], maxBytes: 50 * mb, captionMaxLength: 1024 },
  { kind: 'audio', mimeTypes: ['audio/mpeg', 'audio/mp4'], maxBytes: 50 * mb, captionMaxLength: 1024 },
  { kind: 'file', mimeTypes: [...office, 'application/zip', 'image/gif'], maxBytes: 50 * mb, captionMaxLength: 1024 },
]
function xRules(captionMaxLength: number): readonly FileRule[] {
  return [
    { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 5 * mb, captionMaxLength },
    { kind: 'image', mimeTypes: ['image/gif'], maxBytes: 15 * mb, captionMaxLength },
  ]
}
const mastodon: readonly FileRule[] = [{ kind: 'image', mimeTypes: webImages, maxBytes: 16 * mb, captionMaxLength: 500 }]
// Bluesky's blob limit for an image embed is 1,000,000 bytes (not MiB).
const bluesky: readonly FileRule[] = [
  { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'], maxBytes: 1_000_000, captionMaxLength: 300 },
]

export function outboundFiles(kind: ChannelKind, conversationKind: 'dm' | 'public'): OutboundFiles {
  switch (kind) {
    case 'whatsapp':
      return { allowed: true, rules: whatsapp }
    case 'facebook':
    case 'instagram':
      if (conversationKind === 'public')
        return { allowed: false, reason: 'Replies to comments carry text only: answer with words, or send the file in a private message.' }
      return { allowed: true, rules: kind === 'facebook' ? messenger : instagram }
    case 'telegram':
      return { allowed: true, rules: telegram }
    case 'x':
      return { allowed: true, rules: xRules(conversationKind === 'dm' ? 10_000 : 280) }
    case 'mastodon':
      return { allowed: true, rules: mastodon }
    case 'bluesky':
      if (conversationKind === 'dm') return { allowed: false, reason: 'Bluesky chats carry text only.' }
      return { allowed: true, rules: bluesky }
  }
}

/** The rule a file of this type falls under on the channel, if any. */
export function fileRuleFor(files: OutboundFiles, mimeType: string): FileRule | undefined {
  if (!files.allowed) return undefined
  return files.rules.find((rule) => rule.mimeTypes.includes(mimeType))
}

/** What the platform refuses about a file of this type and size, in words for the agent; null when it may go. */
export function fileRefusal(files: OutboundFiles, channelName: string, mimeType: string, size: number): string | null {
  if (!files.allowed) return files.reason
  if (size === 0) return 'The file is empty.'
  const rule = fileRuleFor(files, mimeType)
  if (!rule) return `${channelName} does not take ${mimeType || 'files of an unknown type'} here. It takes: ${acceptedTypesLabel(files)}.`
  if (size > rule.maxBytes)
    return `${channelName} takes ${rule.kind === 'file' ? 'files' : `${rule.kind}s`} up to ${formatBytes(rule.maxBytes)}; this one is ${formatBytes(size)}.`
  return null
}

/** Every type the channel takes, for a file picker's accept attribute and for refusals. */
export function acceptedMimeTypes(files: OutboundFiles): string[] {
  return files.allowed ? [...new Set(files.rules.flatMap((rule) => rule.mimeTypes))] : []
}

function acceptedTypesLabel(files: OutboundFiles): string {
  if (!files.allowed) return 'nothing'
  return files.rules.map((rule) => `${rule.kind === 'file' ? 'documents' : `${rule.kind}s`} (${formatBytes(rule.maxBytes)})`).join(', ')
}

export function formatBytes(bytes: number): string {
  if (bytes >= mb) return `${Math.round((bytes / mb) * 10) / 10} MB`
  if (bytes >= 1000) return `${Math.round(bytes / 1000)} kB`
  return bytes === 1 ? '1 byte' : `${bytes} bytes`
}

/** Extensions browsers sometimes leave untyped (an empty File.type), mapped to the types above. */
export const mimeTypeByExtension: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  '3gp': 'video/3gpp',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  amr: 'audio/amr',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  pdf: 'application/pdf',
  txt: 'text/plain',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip',
}

export const fileNameMaxLength = 200

// C0, DEL and C1 controls, and the bidi marks that make "gpj.exe" read as "exe.jpg".
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/

/**
 * Why a file name is refused, or null. The name travels to the customer (a WhatsApp document's filename, a
 * Telegram document), so it is refused rather than silently changed: the agent renames the file and sees the result.
 */
export function fileNameProblem(name: string): string | null {
  if (name.trim() === '') return 'The file has no name.'
  if (Array.from(name).length > fileNameMaxLength) return `File names are limited to ${fileNameMaxLength} characters.`
  if (/[/\\]/.test(name) || name === '.' || name === '..') return 'A file name cannot contain a path ("/" or "\\").'
  if (controlChars.test(name)) return 'The file name contains control or text-direction characters: rename the file.'
  if (name.startsWith('.')) return 'A file name cannot start with a dot.'
  return null
}

/**
 * Why a file's name does not fit its type, or null: the customer's phone opens a file by its extension, so a
 * "invoice.bat" declared as plain text (which any text passes) would reach them as a script.
 */
export function extensionProblem(name: string, mimeType: string): string | null {
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase()
  const known = extension ? mimeTypeByExtension[extension] : undefined
  if (known === mimeType) return null
  const allowed = Object.entries(mimeTypeByExtension)
    .filter(([, type]) => type === mimeType)
    .map(([ext]) => `.${ext}`)
  return `A file of type ${mimeType} must be named ${allowed.join(' or ') || 'with its usual extension'}${extension ? `, not .${extension}` : ''}.`
}

/** A file uploaded for a reply, not yet sent: it belongs to one conversation and to the agent who uploaded it. */
export const UploadedFile = Type.Object({
  id: Id,
  name: Type.String(),
  mimeType: Type.String(),
  size: Type.Integer({ minimum: 1 }),
  kind: Type.Union(outboundFileKinds.map((kind) => Type.Literal(kind))),
})
export type UploadedFile = Static<typeof UploadedFile>

/** The largest upload any platform takes (WhatsApp documents); each channel's own limit is checked after. */
export const uploadMaxBytes = 100 * mb

export const filesApi = {
  upload: defineRoute({
    method: 'POST',
    url: '/api/conversations/:id/files',
    summary:
      "Upload a file for a reply (the raw bytes as application/octet-stream): checked against the channel's types and sizes, and its bytes against its declared type",
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      params: Type.Object({ id: Id }),
      querystring: Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 1000 }), type: Type.String({ minLength: 1, maxLength: 200 }) },
        { additionalProperties: false },
      ),
      response: { 200: UploadedFile },
    },
  }),
}
