import { templateRefusal, type WhatsAppTemplate } from '@carebox/shared'
import { useEffect, useId, useRef } from 'react'
import { metaCodeLabel } from '../../components/metaCodeLabel'

/**
 * The templates to choose from, in the order given. One that cannot be sent is shown, disabled, with why: an agent
 * looking for it learns it is paused rather than missing.
 */
export function TemplateChoices({
  templates,
  focusId,
  isFocusedOnShow = true,
  onPick,
}: {
  templates: WhatsAppTemplate[]
  /** The choice to focus when shown (the one just left); else the first that can be sent. */
  focusId: string | null
  /** Whether the list takes the focus when it appears (not when it appears beside the control that showed it). */
  isFocusedOnShow?: boolean
  onPick: (id: string) => void
}) {
  const ids = useId()
  const list = useRef<HTMLUListElement>(null)

  // When the list appears (first, or back from a template): a reload behind it does not move the focus.
  useEffect(() => {
    if (!isFocusedOnShow) return
    const enabled = [...(list.current?.querySelectorAll('button') ?? [])].filter((b) => !b.disabled)
    ;(enabled.find((b) => b.dataset.template === focusId) ?? enabled[0])?.focus()
  }, [focusId, isFocusedOnShow])

  return (
    <ul ref={list} className="template-choices" aria-label="Templates">
      {templates.map((template) => {
        const refusal = templateRefusal(template)
        const metaId = `${ids}-${template.id}-meta`
        const refusalId = `${ids}-${template.id}-refusal`
        return (
          <li key={template.id} className={refusal ? 'template-choice template-choice-refused' : 'template-choice'}>
            <button
              type="button"
              data-template={template.id}
              aria-label={`${template.name} (${template.language})`}
              aria-describedby={refusal ? `${metaId} ${refusalId}` : metaId}
              disabled={refusal !== null}
              onClick={() => onPick(template.id)}
            >
              <span className="template-choice-head">
                <strong className="template-name">{template.name}</strong>
                <span id={metaId} className="template-meta">
                  {template.language} · {metaCodeLabel(template.category)} · {metaCodeLabel(template.status)}
                </span>
              </span>
              <span className="template-choice-body" dir="auto">
                {template.body}
              </span>
            </button>
            {refusal && (
              <p id={refusalId} className="template-refusal">
                {refusal}
              </p>
            )}
          </li>
        )
      })}
    </ul>
  )
}
