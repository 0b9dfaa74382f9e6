import { renderTemplate, templateRefusal, type ConversationSummary, type WhatsAppTemplate } from '@carebox/shared'
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { metaCodeLabel } from '../../components/metaCodeLabel'
import { useStore } from '../../store/store'
import { firstNameOf, maxValueLength, placeholderLabel, prefillValues, valueProblem } from './template-rules'

/**
 * One template's placeholders to fill, what the customer will receive (as text: template and customer words are
 * not ours to render as markup), and Send once nothing is missing.
 */
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

  const { text, missing } = renderTemplate(template, values)
  // The list is read again when a send fails: the template may have been paused since it was picked.
  const refusal = templateRefusal(template)
  const mediaHeader = template.placeholders.some((p) => p.key === 'header.media') ? (template.header?.format.toLowerCase() ?? 'media') : null
  const problems = Object.fromEntries(template.placeholders.map((p) => [p.key, valueProblem(p, values[p.key] ?? '')]))
  const hasProblem = Object.values(problems).some((problem) => problem !== null)
  const canSend = missing.length === 0 && !hasProblem && refusal === null && !isSending
  const labelOf = (key: string) => {
    const placeholder = template.placeholders.find((p) => p.key === key)
    return placeholder ? placeholderLabel(template, placeholder) : key
  }

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
      values: Object.fromEntries(template.placeholders.map((p) => [p.key, (values[p.key] ?? '').trim()])),
      clientKey: key,
    })
    setSending(false)
    if (failure) setError(failure)
    else onSent()
  }

  return (
    <form ref={form} className="template-form" aria-label={`Fill in ${template.name}`} onSubmit={(e) => void submit(e)}>
      <div className="template-form-head">
        <strong className="template-name">{template.name}</strong>
        <span className="template-meta">
          {template.language} · {metaCodeLabel(template.category)} · {metaCodeLabel(template.status)}
        </span>
      </div>
      {refusal && <p className="template-refusal">{refusal}</p>}
      {template.placeholders.length === 0 ? (
        <p className="muted">This template has nothing to fill in.</p>
      ) : (
        <div className="template-fields">
          {template.placeholders.map((p, index) => {
            const problem = problems[p.key]
            return (
              <div key={p.key} className="template-field">
                <label>
                  {placeholderLabel(template, p)}
                  <input
                    type={p.key === 'header.media' ? 'url' : 'text'}
                    value={values[p.key] ?? ''}
                    placeholder={p.example ? `e.g. ${p.example}` : p.key === 'header.media' ? 'https://…' : undefined}
                    maxLength={maxValueLength}
                    dir="auto"
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `${ids}-problem-${index}` : undefined}
                    onChange={(e) => change(p.key, e.target.value)}
                  />
                </label>
                {problem && (
                  <span id={`${ids}-problem-${index}`} className="error">
                    {problem}
                  </span>
                )}
              </div>
            )
          })}
        </div>
      )}
      <section className="template-preview" aria-label="Preview">
        <h3 className="template-preview-title">What the customer will receive</h3>
        <p className="template-preview-text" dir="auto">
          {text}
        </p>
        {mediaHeader && <p className="muted">Above the text: the {mediaHeader} at the header link.</p>}
      </section>
      {missing.length > 0 && (
        <p id={`${ids}-missing`} className="template-missing">
          Still to fill in: {missing.map(labelOf).join(', ')}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          Not sent: {error}
        </p>
      )}
      <div className="template-actions">
        <button type="button" onClick={onBack}>
          Back to templates
        </button>
        <button type="submit" className="primary" disabled={!canSend} aria-describedby={missing.length > 0 ? `${ids}-missing` : undefined}>
          {isSending ? 'Sending…' : 'Send template'}
        </button>
      </div>
    </form>
  )
}
