import type { ConversationSummary, WhatsAppTemplate } from '@carebox/shared'
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'
import { TemplateFields } from './TemplateFields'
import { checkTemplate, firstNameOf, prefillValues, valuesToSend } from './template-rules'

/** One template's placeholders to fill, what the customer will receive, and Send once nothing is missing. */
export function TemplateForm({
  template,
  conversation,
  customerName,
  onBack,
  onSent,
}: {
  template: WhatsAppTemplate
  conversation: ConversationSummary
  customerName: string | null
  onBack: () => void
  onSent: () => void
}) {
  const send = useStore((s) => s.sendTemplate)
  const ids = useId()
  const [values, setValues] = useState(() => prefillValues(template, firstNameOf(customerName)))
  // Kept while the values stay the same: sending again after a failure cannot deliver the template twice.
  const [clientKey, setClientKey] = useState<string | null>(null)
  const [isSending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const form = useRef<HTMLFormElement>(null)

  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, button[type="submit"]')?.focus()
  }, [])

  // The list is read again when a send fails: the template may have been paused since it was picked.
  const check = checkTemplate(template, values)
  const canSend = check.isReady && !isSending
  const missingId = `${ids}-missing`

  const change = (key: string, value: string) => {
    setValues((current) => ({ ...current, [key]: value }))
    setClientKey(null)
    setError(null)
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!canSend) return
    const key = clientKey ?? crypto.randomUUID()
    setClientKey(key)
    setSending(true)
    setError(null)
    const failure = await send({
      conversationId: conversation.id,
      channelId: conversation.channel.id,
      templateId: template.id,
      values: valuesToSend(template, values),
      clientKey: key,
    })
    setSending(false)
    if (failure) setError(failure)
    else onSent()
  }

  return (
    <form ref={form} className="template-form" aria-label={`Fill in ${template.name}`} onSubmit={(e) => void submit(e)}>
      <TemplateFields template={template} values={values} check={check} missingId={missingId} onChange={change} />
      {error && (
        <p role="alert" className="error">
          Not sent: {error}
        </p>
      )}
      <div className="template-actions">
        <button type="button" onClick={onBack}>
          Back to templates
        </button>
        <button type="submit" className="primary" disabled={!canSend} aria-describedby={check.missing.length > 0 ? missingId : undefined}>
          {isSending ? 'Sending…' : 'Send template'}
        </button>
      </div>
    </form>
  )
}
