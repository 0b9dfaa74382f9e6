import { formatBytes, inlineImageTypes, type OutboundFileKind } from '@carebox/shared'
import { useCallback } from 'react'
import type { DraftAttachment } from '../../store/drafts.slice'

const kindLabels: Record<OutboundFileKind, string> = { image: 'Image', video: 'Video', audio: 'Audio', file: 'Document' }

/**
 * The file going with the reply: a thumbnail for an image, its name, size and kind, whether it is still uploading,
 * the server's refusal if it refused it, and a way to remove it. The name is shown as text, whatever it holds.
 */
export function FileChip({
  attachment,
  notice,
  canRemove,
  onRemove,
}: {
  attachment: DraftAttachment
  /** Said beneath the file: how the platform will deliver it with the text, when that needs saying. */
  notice: string | null
  canRemove: boolean
  onRemove: () => void
}) {
  const { file, name, size, kind, mimeType, isUploading, error } = attachment
  const isPreviewable = (inlineImageTypes as readonly string[]).includes(mimeType)
  return (
    <div className="file-chip-area">
      <div className={`file-chip${error ? ' file-chip-refused' : ''}`} role="group" aria-label="Attached file">
        {isPreviewable ? (
          <Thumbnail file={file} />
        ) : (
          <span className="file-chip-badge" aria-hidden="true">
            {extensionOf(name) ?? kindLabels[kind]}
          </span>
        )}
        <span className="file-chip-name">
          <bdi>{name}</bdi>
        </span>
        <span className="file-chip-meta muted">
          {kindLabels[kind]} · {formatBytes(size)}
        </span>
        {/* Always there, so that screen readers hear it change. */}
        <span className="file-chip-status" role="status">
          {isUploading ? 'Uploading…' : ''}
        </span>
        <button type="button" className="file-chip-remove" aria-label={`Remove ${name}`} title="Remove the file" disabled={!canRemove} onClick={onRemove}>
          ×
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          Not attached: {error}
        </p>
      )}
      {notice && <p className="composer-hint muted">{notice}</p>}
    </div>
  )
}

/** A preview made from the file itself, on this device: its object URL lives as long as the image on screen. */
function Thumbnail({ file }: { file: File }) {
  const attachPreview = useCallback(
    (img: HTMLImageElement | null) => {
      if (!img) return
      const url = URL.createObjectURL(file)
      img.src = url
      return () => URL.revokeObjectURL(url)
    },
    [file],
  )
  return <img ref={attachPreview} className="file-chip-thumb" alt="" />
}

/** "PDF" for "invoice.pdf": what the file is, at a glance. */
function extensionOf(name: string): string | null {
  return /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toUpperCase() ?? null
}
