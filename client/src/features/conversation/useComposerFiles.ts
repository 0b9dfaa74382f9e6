import type { ConversationSummary } from '@carebox/shared'
import { useRef, useState, type ClipboardEvent, type DragEvent } from 'react'
import type { ComposerMode } from '../../store/drafts.slice'
import { useStore } from '../../store/store'
import { acceptList, attachBlock, checkFile, filesFor } from './file-rules'

/** Whether a drag carries files (not text or a link being moved about). */
function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes('Files')
}

/**
 * The three ways a file reaches a reply (the picker, a drop on the composer, a paste into the text box), each
 * checked against the channel's rules before anything is uploaded. A refusal is said in the composer, for the
 * conversation it was made in.
 */
export function useComposerFiles({ conversation, mode, closedWindow }: { conversation: ConversationSummary; mode: ComposerMode; closedWindow: string | null }) {
  const { id } = conversation
  const attachment = useStore((s) => s.draftsByConversation[id]?.reply.attachment ?? null)
  const attachFile = useStore((s) => s.attachFile)
  const [refusal, setRefusal] = useState<{ conversationId: string; text: string } | null>(null)
  const [isDragging, setDragging] = useState(false)
  // dragenter and dragleave fire for every child crossed: the highlight ends when the last one is left.
  const dragDepth = useRef(0)

  const block = attachBlock(conversation, mode, closedWindow)
  const oneFile = attachment ? `One file per reply: remove ${attachment.name} to attach another.` : null
  const refuse = (text: string) => setRefusal({ conversationId: id, text })

  const attach = (files: File[]) => {
    const [file] = files
    if (!file) return
    if (block) return refuse(block)
    if (oneFile) return refuse(oneFile)
    if (files.length > 1) return refuse('One file per reply: attach them one at a time, each with its own reply.')
    const check = checkFile(conversation, file)
    if (!check.ok) return refuse(check.refusal)
    setRefusal(null)
    void attachFile(id, file, { mimeType: check.mimeType, kind: check.kind })
  }

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const { clipboardData } = event
    const files = Array.from(clipboardData.files)
    // Text copied from an office program comes with a picture of itself: the text is what is meant.
    if (files.length === 0 || clipboardData.types.includes('text/plain')) return
    event.preventDefault()
    attach(files)
  }

  const dropZone = {
    onDragEnter(event: DragEvent) {
      if (!hasFiles(event)) return
      dragDepth.current += 1
      setDragging(true)
    },
    onDragOver(event: DragEvent) {
      if (!hasFiles(event)) return
      // Without this the browser opens the file in place of the console.
      event.preventDefault()
      event.dataTransfer.dropEffect = 'copy'
    },
    onDragLeave(event: DragEvent) {
      if (!hasFiles(event)) return
      dragDepth.current = Math.max(0, dragDepth.current - 1)
      if (dragDepth.current === 0) setDragging(false)
    },
    onDrop(event: DragEvent) {
      if (!hasFiles(event)) return
      event.preventDefault()
      dragDepth.current = 0
      setDragging(false)
      attach(Array.from(event.dataTransfer.files))
    },
  }

  return {
    attachment,
    /** Why the Attach button is off: the channel or mode takes no file, or one is attached already. */
    attachBlockedBy: block ?? oneFile,
    /** What to say over the composer while a file is dragged onto it. */
    dropLabel: block ?? oneFile ?? 'Drop to attach',
    canDrop: !block && !oneFile,
    accept: acceptList(filesFor(conversation)),
    isDragging,
    dropZone,
    onPaste,
    attach,
    refusal: refusal?.conversationId === id ? refusal.text : null,
    explainBlock: () => {
      const reason = block ?? oneFile
      if (reason) refuse(reason)
    },
    dismissRefusal: () => setRefusal(null),
  }
}
