import { useRef } from 'react'

/**
 * The paperclip beside Send: opens the file picker, offering the channel's types. Where no file can go it stays
 * focusable but disabled (aria-disabled), its title says why, and pressing it says so aloud through `onBlocked`:
 * a disabled button would keep the reason from keyboard users.
 */
export function AttachButton({
  accept,
  blockedBy,
  onFiles,
  onBlocked,
}: {
  /** The picker's `accept` list. */
  accept: string
  /** Why no file can be attached now; null when one can. */
  blockedBy: string | null
  onFiles: (files: File[]) => void
  onBlocked: () => void
}) {
  const input = useRef<HTMLInputElement>(null)
  return (
    <>
      <button
        type="button"
        className="composer-attach"
        aria-label="Attach a file"
        aria-disabled={blockedBy ? true : undefined}
        title={blockedBy ?? 'Attach a file (or drop or paste one here)'}
        onClick={() => (blockedBy ? onBlocked() : input.current?.click())}
      >
        <PaperclipIcon />
      </button>
      <input
        ref={input}
        type="file"
        hidden
        tabIndex={-1}
        aria-label="File to attach"
        accept={accept}
        onChange={(event) => {
          const files = Array.from(event.target.files ?? [])
          // Picking the same file again after removing it must still be a change.
          event.target.value = ''
          if (files.length > 0) onFiles(files)
        }}
      />
    </>
  )
}

function PaperclipIcon() {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48" />
    </svg>
  )
}
