import { attachmentUrl, formatBytes, inlineImageTypes, mediaApi, type Message } from '@carebox/shared'
import { useState } from 'react'
import { isHiddenCharacter } from './linkify'

type Attachment = Message['attachments'][number]

const maxLabelChars = 80
/** The proxy route only serves this many attachments of a message; past it there is nothing to load. */
const maxAttachmentIndex = mediaApi.attachment.schema.params.properties.index.maximum ?? 99

/**
 * A message's attachments. Everything loads through Carebox's proxy (`attachmentUrl`), never from the platform's
 * URL: the browser must not fetch customer-chosen addresses. A file an agent sent is served by the same URL, from
 * Carebox's own storage. Names are customer-chosen too, so they are cleaned before they are shown.
 */
export function AttachmentList({ messageId, attachments }: { messageId: string; attachments: Attachment[] }) {
  if (attachments.length === 0) return null
  return (
    <ul className="attachments" aria-label="Attachments">
      {attachments.map((attachment, index) => (
        <li key={index}>
          <AttachmentItem attachment={attachment} src={hasSource(attachment, index) ? attachmentUrl(messageId, index) : null} />
        </li>
      ))}
    </ul>
  )
}

function AttachmentItem({ attachment, src }: { attachment: Attachment; src: string | null }) {
  const label = attachmentLabel(attachment)
  const kind = cleanName(attachment.kind)
  const details = [kind && kind !== label ? kind : '', attachment.size ? formatBytes(attachment.size) : ''].filter(Boolean).join(' · ')
  const kindNote = details ? <span className="muted"> · {details}</span> : null
  if (!src) {
    return (
      <span className="attachment-label">
        {label}
        {kindNote}
      </span>
    )
  }
  if (isInlineImage(attachment)) return <AttachmentImage src={src} alt={label} title={details ? `${label} · ${details}` : label} />
  return (
    <>
      <a className="attachment-download" href={src} download={label}>
        {label}
      </a>
      {kindNote}
    </>
  )
}

function AttachmentImage({ src, alt, title }: { src: string; alt: string; title: string }) {
  const [isBroken, setIsBroken] = useState(false)
  if (isBroken) {
    return (
      <span className="attachment-unavailable" title={title}>
        Image unavailable
      </span>
    )
  }
  return (
    <a href={src} target="_blank" rel="noopener noreferrer" title={title}>
      <img className="attachment-image" src={src} alt={alt} loading="lazy" decoding="async" onError={() => setIsBroken(true)} />
    </a>
  )
}

function hasSource(attachment: Attachment, index: number): boolean {
  return Boolean(attachment.url || attachment.mediaId || attachment.fileId) && index <= maxAttachmentIndex
}

/** Inline only the types the proxy serves as images (shared `inlineImageTypes`); other images are downloads. */
function isInlineImage(attachment: Attachment): boolean {
  const mimeType = attachment.mimeType?.split(';')[0]?.trim().toLowerCase()
  if (mimeType) return (inlineImageTypes as readonly string[]).includes(mimeType)
  return attachment.kind === 'image'
}

function attachmentLabel(attachment: Attachment): string {
  return cleanName(attachment.name ?? '') || cleanName(attachment.kind) || 'attachment'
}

/**
 * A customer-chosen file name made safe to show: no controls or bidi tricks ("evil\u202Etxt.exe" reads as
 * "evilexe.txt"), no directories, no runs of blanks to push ".exe" out of sight, and at most 80 characters
 * with the extension kept.
 */
function cleanName(raw: string): string {
  const visible = Array.from(raw)
    .filter((char) => !isHiddenCharacter(char.codePointAt(0)!))
    .join('')
  const segments = visible.split(/[/\\]+/).filter((segment) => segment.trim() !== '' && segment !== '.' && segment !== '..')
  const name = (segments.at(-1) ?? '').replace(/\s+/g, ' ').trim()
  return truncateKeepingExtension(name)
}

function truncateKeepingExtension(name: string): string {
  const chars = Array.from(name)
  if (chars.length <= maxLabelChars) return name
  const extension = /\.[^.\s]{1,10}$/.exec(name)?.[0] ?? ''
  const head = chars
    .slice(0, maxLabelChars - 1 - extension.length)
    .join('')
    .trimEnd()
  return `${head}…${extension}`
}
