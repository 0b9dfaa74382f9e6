import type { ConversationSummary } from '@carebox/shared'
import { useEffect, useId, useLayoutEffect, useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent, type SyntheticEvent } from 'react'
import { announceTyping } from '../../api/socket'
import { formatDateTime } from '../../components/formatTime'
import { useNow } from '../../components/useNow'
import { selectDrafts, type ComposerMode } from '../../store/drafts.slice'
import { useStore } from '../../store/store'
import { AttachButton } from './AttachButton'
import { hasCommentTools, privateReplyBlock } from './comment-rules'
import { CommentReplyTarget } from './CommentReplyTarget'
import { checkDraft, windowNotice } from './composer-rules'
import { ComposerFooter } from './ComposerFooter'
import { CrossingNotice } from './CrossingNotice'
import { twoMessagesNotice } from './file-rules'
import { FileChip } from './FileChip'
import { SuggestionList } from './SuggestionList'
import { canSendTemplates } from './template-rules'
import { TemplatePicker } from './TemplatePicker'
import { TypingIndicator } from './TypingIndicator'
import { useComposerFiles } from './useComposerFiles'
import { useComposerPicker, type PickerChoice } from './useComposerPicker'
import './comments.css'
import './composer.css'
import './templates.css'

const modeLabels: Record<ComposerMode, string> = { reply: 'Reply', note: 'Note' }

/** Writes a reply to the customer, or a private note for teammates, with the platform's rules shown as you type. */
export function Composer({ conversation }: { conversation: ConversationSummary }) {
  const { id } = conversation
  const drafts = useStore(selectDrafts(id))
  const setMode = useStore((s) => s.setComposerMode)
  const setText = useStore((s) => s.setDraftText)
  const addMention = useStore((s) => s.addDraftMention)
  const send = useStore((s) => s.sendDraft)
  const cancelCrossing = useStore((s) => s.cancelCrossing)
  const setReplyTarget = useStore((s) => s.setReplyTarget)
  const removeAttachment = useStore((s) => s.removeAttachment)
  const resolveAndOpenNext = useStore((s) => s.resolveAndOpenNext)
  const restored = useStore((s) => s.restoredDrafts[id])
  const { replyTo } = drafts
  // The comment chosen to answer, as the thread has it now (its private reply may have gone out meanwhile).
  const replyToComment = useStore((s) => (replyTo ? s.messagesByConversation[id]?.find((m) => m.id === replyTo.messageId) : undefined))
  const focus = useStore((s) => s.composerFocus)
  const now = useNow()
  const textarea = useRef<HTMLTextAreaElement>(null)
  const templateButton = useRef<HTMLButtonElement>(null)
  // A focus request made before this composer was on screen is not for it.
  const handledFocus = useRef(focus?.nonce)
  const [caret, setCaret] = useState(0)
  const [isFocused, setFocused] = useState(false)
  // Where the caret goes once a chosen suggestion is in the text box.
  const pendingCaret = useRef<number | null>(null)
  // The conversation whose template picker is open: switching conversations closes it.
  const [templatesFor, setTemplatesFor] = useState<string | null>(null)
  // "Send and resolve" asked, and the server questioned the reply (a teammate's crossed it): "Send anyway" still resolves.
  const [resolvesAfterSendIn, setResolvesAfterSendIn] = useState<string | null>(null)

  useEffect(() => {
    if (!focus || focus.nonce === handledFocus.current) return
    handledFocus.current = focus.nonce
    // A reply that only a template can make has no text box: its button takes the focus.
    ;(textarea.current ?? templateButton.current)?.focus()
  }, [focus])

  const { mode } = drafts
  const draft = drafts[mode]

  useLayoutEffect(() => {
    if (pendingCaret.current === null) return
    textarea.current?.setSelectionRange(pendingCaret.current, pendingCaret.current)
    pendingCaret.current = null
  }, [draft.text])

  const picker = useComposerPicker({
    conversation,
    mode,
    text: draft.text,
    caret,
    isActive: isFocused,
    onChoose: (choice: PickerChoice) => {
      if (choice.mention) addMention(id, choice.mention)
      setText(id, mode, choice.text)
      setCaret(choice.caret)
      pendingCaret.current = choice.caret
    },
  })

  // A reply's file; a note carries none (the reply's file waits in its draft meanwhile).
  const attachment = mode === 'reply' ? drafts.reply.attachment : null
  const check = checkDraft(mode, conversation, draft.text, now, attachment !== null)
  const notice = windowNotice(check.window, now)
  const privateBlock = mode === 'reply' && replyTo?.visibility === 'private' && replyToComment?.comment ? privateReplyBlock(replyToComment.comment, now) : null
  // Send waits for the file: it goes by the id the upload answers with.
  const fileHold = attachment?.isUploading
    ? 'Send waits for the file to finish uploading.'
    : attachment?.error
      ? 'To send, remove the file that was not attached.'
      : null
  const canSend = check.canSend && !draft.isSending && !privateBlock && !fileHold
  const offersTemplates = mode === 'reply' && canSendTemplates(conversation)
  // WhatsApp's window is closed: a template is the only way to reach the customer, so it replaces the text box.
  const templateOnly = offersTemplates && check.window?.state === 'closed' ? check.window.reason : null
  const files = useComposerFiles({ conversation, mode, closedWindow: templateOnly })
  const refusalId = useId()
  const openTemplates = () => setTemplatesFor(id)

  const submit = (event?: FormEvent) => {
    event?.preventDefault()
    setResolvesAfterSendIn(null)
    if (canSend) void send(id, mode)
  }
  const canSendAndResolve = mode === 'reply' && conversation.status !== 'resolved'
  // Resolves only once the server took the reply (queued): a refused reply leaves the conversation open to fix it.
  const sendThenResolve = async (options?: { confirmCrossing: boolean }) => {
    setResolvesAfterSendIn(id)
    const isSent = await send(id, 'reply', options)
    if (!isSent) return
    setResolvesAfterSendIn(null)
    await resolveAndOpenNext(id)
  }
  const sendAndResolve = () => {
    if (canSend && canSendAndResolve) void sendThenResolve()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (picker.onKeyDown(event)) return
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      if (event.shiftKey) sendAndResolve()
      else submit()
    }
  }
  const onChange = (event: ChangeEvent<HTMLTextAreaElement>) => {
    const { value, selectionStart } = event.target
    setText(id, mode, value)
    setCaret(selectionStart)
    if (value.trim() !== '') announceTyping(id, mode)
  }
  const onSelect = (event: SyntheticEvent<HTMLTextAreaElement>) => setCaret(event.currentTarget.selectionStart)
  const removeFile = () => {
    removeAttachment(id)
    // The remove button is gone: the text box takes the focus rather than the page.
    textarea.current?.focus()
  }

  return (
    <>
      <form className={`composer composer-${mode}`} aria-label="Composer" onSubmit={submit} {...files.dropZone}>
        {files.isDragging && (
          <div className={files.canDrop ? 'composer-drop' : 'composer-drop composer-drop-blocked'} aria-hidden="true">
            {files.dropLabel}
          </div>
        )}
        <TypingIndicator conversationId={id} />
        <div className="composer-tabs" role="tablist" aria-label="Write a">
          {(['reply', 'note'] as const).map((m) => (
            <button key={m} type="button" role="tab" aria-selected={m === mode} className={m === mode ? 'active' : undefined} onClick={() => setMode(id, m)}>
              {modeLabels[m]}
            </button>
          ))}
        </div>
        {notice && !templateOnly && <p className={`window-notice window-${notice.tone}`}>{notice.text}</p>}
        {mode === 'reply' &&
          conversation.kind === 'public' &&
          (replyTo && replyToComment ? (
            <CommentReplyTarget
              comment={replyToComment}
              visibility={replyTo.visibility}
              blockedBy={privateBlock}
              onClear={() => {
                setReplyTarget(id, null)
                textarea.current?.focus()
              }}
            />
          ) : (
            <p className="composer-hint muted">
              {hasCommentTools(conversation)
                ? 'A public reply to the latest comment: everyone who can see the post can read it.'
                : 'A public reply: everyone who can see the thread can read it.'}
            </p>
          ))}
        {mode === 'note' && <p className="composer-hint muted">Only teammates see notes; the customer never does.</p>}
        {restored && (
          <p className="composer-hint muted">
            Restored your draft from {formatDateTime(restored.at)} ({restored.from === 'device' ? 'kept in this browser' : 'saved on the server'}).
          </p>
        )}
        {templateOnly ? (
          <div className="window-closed">
            <p className="window-notice window-blocked">{templateOnly}</p>
            <button ref={templateButton} type="button" className="primary" onClick={openTemplates}>
              Send a template
            </button>
            {draft.text.trim() !== '' && <p className="composer-hint muted">Your unsent reply is kept for when the customer writes again.</p>}
          </div>
        ) : (
          <>
            <div className="composer-input">
              {picker.isOpen && <SuggestionList picker={picker} />}
              <textarea
                ref={textarea}
                aria-label={modeLabels[mode]}
                aria-autocomplete="list"
                aria-controls={picker.isOpen ? picker.listId : undefined}
                aria-activedescendant={picker.isOpen && picker.options.length > 0 ? picker.optionId(picker.activeIndex) : undefined}
                placeholder={mode === 'reply' ? 'Write a reply…' : 'Write a private note…'}
                value={draft.text}
                onChange={onChange}
                onSelect={onSelect}
                onKeyDown={onKeyDown}
                onPaste={files.onPaste}
                onFocus={() => setFocused(true)}
                onBlur={() => setFocused(false)}
                rows={3}
              />
            </div>
            {attachment && (
              <FileChip
                attachment={attachment}
                notice={twoMessagesNotice(conversation, attachment.mimeType, draft.text)}
                canRemove={!draft.isSending}
                onRemove={removeFile}
              />
            )}
            {mode === 'reply' && draft.crossing && (
              <CrossingNotice
                question={draft.crossing}
                onSendAnyway={() =>
                  resolvesAfterSendIn === id ? void sendThenResolve({ confirmCrossing: true }) : void send(id, 'reply', { confirmCrossing: true })
                }
                onCancel={() => cancelCrossing(id)}
              />
            )}
            <ComposerFooter
              mode={mode}
              check={check}
              draft={draft}
              canSend={canSend}
              sendHold={fileHold}
              onSendAndResolve={canSendAndResolve ? sendAndResolve : undefined}
              onPickTemplate={offersTemplates ? openTemplates : undefined}
              attach={<AttachButton accept={files.accept} blockedBy={files.attachBlockedBy} onFiles={files.attach} onBlocked={files.explainBlock} />}
            />
          </>
        )}
        {files.refusal && (
          <div className="composer-file-refusal">
            <p role="alert" id={refusalId} className="error">
              {files.refusal}
            </p>
            <button type="button" className="link" aria-describedby={refusalId} onClick={files.dismissRefusal}>
              Dismiss
            </button>
          </div>
        )}
      </form>
      {templatesFor === id && <TemplatePicker conversation={conversation} onClose={() => setTemplatesFor(null)} />}
    </>
  )
}
