import type { WhatsAppTemplate } from '@carebox/shared'
import { useId } from 'react'
import { metaCodeLabel } from '../../components/metaCodeLabel'
import { maxValueLength, placeholderLabel, type TemplateCheck } from './template-rules'

/**
 * One template's placeholders to fill and what the customer will receive (as text: template and customer words are
 * not ours to render as markup). Sending it now (TemplateForm) and preparing it for later (a follow-up) both use it.
 */
export function TemplateFields({
  template,
  values,
  check,
  missingId,
  onChange,
}: {
  template: WhatsAppTemplate
  values: Record<string, string>
  /** `checkTemplate(template, values)`: the caller needs it too, to know whether the template can go. */
  check: TemplateCheck
  /** The id of the "Still to fill in" line, for the button it holds back. */
  missingId: string
  onChange: (key: string, value: string) => void
}) {
  const ids = useId()
  const { text, missing, problems, refusal } = check
  const mediaHeader = template.placeholders.some((p) => p.key === 'header.media') ? (template.header?.format.toLowerCase() ?? 'media') : null
  const labelOf = (key: string) => {
    const placeholder = template.placeholders.find((p) => p.key === key)
    return placeholder ? placeholderLabel(template, placeholder) : key
  }

  return (
    <>
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
                    onChange={(e) => onChange(p.key, e.target.value)}
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
        <p id={missingId} className="template-missing">
          Still to fill in: {missing.map(labelOf).join(', ')}
        </p>
      )}
    </>
  )
}
