import {
  acceptedMimeTypes,
  channelKindNames,
  extensionProblem,
  fileNameProblem,
  fileRefusal,
  fileRuleFor,
  mimeTypeByExtension,
  outboundFiles,
  replyLength,
  replyLimit,
  type OutboundFileKind,
  type OutboundFiles,
} from '@carebox/shared'
import type { ComposerMode } from '../../store/drafts.slice'
import type { ReplyTarget } from './composer-rules'

/** The platform as the agent knows it: a Facebook Page's private messages are Messenger's. */
export function platformName(target: ReplyTarget): string {
  return target.channel.kind === 'facebook' && target.kind === 'dm' ? 'Messenger' : channelKindNames[target.channel.kind]
}

/** What the conversation's channel takes in a reply: the shared rules, once per conversation kind. */
export function filesFor(target: ReplyTarget): OutboundFiles {
  return outboundFiles(target.channel.kind, target.kind)
}

/**
 * Why no file can be attached here, in words for the Attach button's tooltip and for a drop or paste; null when one
 * can. `closedWindow`: why only a template can reach the customer now (WhatsApp), if that is so.
 */
export function attachBlock(target: ReplyTarget, mode: ComposerMode, closedWindow: string | null): string | null {
  if (mode === 'note') return 'Notes stay in Carebox and carry no files: switch to Reply to send one.'
  const files = filesFor(target)
  if (!files.allowed) return files.reason
  return closedWindow
}

/** The picker's `accept`: the channel's types, and the extensions of those types for files the system leaves untyped. */
export function acceptList(files: OutboundFiles): string {
  const types = acceptedMimeTypes(files)
  const extensions = Object.entries(mimeTypeByExtension)
    .filter(([, type]) => types.includes(type))
    .map(([extension]) => `.${extension}`)
  return [...types, ...extensions].join(',')
}

/** The file's type: as the browser says, else guessed from its extension (browsers leave some files untyped). */
export function fileTypeOf(file: Pick<File, 'name' | 'type'>): string {
  if (file.type) return file.type.toLowerCase()
  const extension = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase()
  return (extension && mimeTypeByExtension[extension]) || ''
}

export type FileCheck = { ok: true; mimeType: string; kind: OutboundFileKind } | { ok: false; refusal: string }

/** Checks a file as the server will (name, type, size) before anything is uploaded. */
export function checkFile(target: ReplyTarget, file: Pick<File, 'name' | 'type' | 'size'>): FileCheck {
  const nameProblem = fileNameProblem(file.name)
  if (nameProblem) return { ok: false, refusal: nameProblem }
  const files = filesFor(target)
  const mimeType = fileTypeOf(file)
  const refusal = fileRefusal(files, platformName(target), mimeType, file.size)
  const rule = fileRuleFor(files, mimeType)
  if (refusal || !rule) return { ok: false, refusal: refusal ?? `${platformName(target)} does not take this file.` }
  const mismatch = extensionProblem(file.name, mimeType)
  if (mismatch) return { ok: false, refusal: mismatch }
  return { ok: true, mimeType, kind: rule.kind }
}

/**
 * Beneath the file: when the platform cannot carry the reply's text with the file (no captions at all, or a
 * shorter one than written), it gets two messages, and the agent should know. Null when there is no text, or
 * it fits as the file's caption.
 */
export function twoMessagesNotice(target: ReplyTarget, mimeType: string, text: string): string | null {
  const rule = fileRuleFor(filesFor(target), mimeType)
  if (!rule || text.trim() === '') return null
  const name = platformName(target)
  if (rule.captionMaxLength === 0) return `${name} sends the file and your text as two messages.`
  // Counted as the server counts it when it decides to send the text apart.
  if (replyLength(text, replyLimit(target.channel.kind, target.kind).unit) > rule.captionMaxLength) {
    return `${name} takes up to ${rule.captionMaxLength} characters with a file: it sends the file and your text as two messages.`
  }
  return null
}
