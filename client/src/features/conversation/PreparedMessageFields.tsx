import type { ConversationSummary } from '@carebox/shared'
import { useEffect, useId, useRef, useState } from 'react'
import { useStore } from '../../store/store'
import { preparedTextLength, type PreparedDraft } from './follow-up-rules'
import { TemplateFields } from './TemplateFields'
import { TemplateLibrary } from './TemplateLibrary'
import { checkTemplate, canSendTemplates, firstNameOf, prefillValues } from './template-rules'

const kindLabels: Record<PreparedDraft['kind'], string> = { none: 'No message', text: 'Text', template: 'WhatsApp template' }

/**
 * The message a follow-up may send at its time: none, a text, or (in a WhatsApp chat) a template with its
 * placeholders filled now, chosen and previewed as in the composer's template picker.
 */
export function PreparedMessageFields({
  conversation,
  draft,
  onChange,
}: {
  conversation: ConversationSummary
  draft: PreparedDraft
  onChange: (draft: PreparedDraft) => void
}) {
  const templates = useStore((s) => s.templatesByChannel[conversation.channel.id])
  const customer = useStore((s) => s.customersByConversation[conversation.id])
  const ids = useId()
  const name = `${ids}-kind`
  // Which choice has the focus when the list shows again after "Other template".
  const [returnTo, setReturnTo] = useState<string | null>(null)
  const templateArea = useRef<HTMLDivElement>(null)
  const kinds: PreparedDraft['kind'][] = canSendTemplates(conversation) ? ['none', 'text', 'template'] : ['none', 'text']
  const counter = draft.kind === 'text' ? preparedTextLength(conversation, draft.text) : null

  // The choice pressed goes away with the list: the focus moves on to the template's first field.
  useEffect(() => {
    if (draft.templateId) templateArea.current?.querySelector<HTMLElement>('input, button')?.focus()
  }, [draft.templateId])

  return (
    <fieldset className="follow-up-message">
      <legend>Prepared message</legend>
      <div className="follow-up-kinds">
        {kinds.map((kind) => (
          <label key={kind}>
            <input type="radio" name={name} checked={draft.kind === kind} onChange={() => onChange({ ...draft, kind })} />
            {kindLabels[kind]}
          </label>
        ))}
      </div>
      {draft.kind === 'none' && <p className="muted">The conversation comes back to the inbox with your note; the customer gets nothing.</p>}
      {draft.kind === 'text' && counter && (
        <div className="follow-up-text">
          <label>
            Message to send then
            <textarea
              rows={3}
              dir="auto"
              value={draft.text}
              aria-describedby={`${ids}-counter`}
              onChange={(e) => onChange({ ...draft, text: e.target.value })}
            />
          </label>
          <span
            id={`${ids}-counter`}
            className={counter.length > counter.limit ? 'counter counter-over' : 'counter'}
            title="Length as the platform counts it / its limit"
          >
            {counter.length} / {counter.limit}
          </span>
        </div>
      )}
      {draft.kind === 'template' && (
        <div ref={templateArea} className="follow-up-template">
          <TemplateLibrary
            conversation={conversation}
            pickedId={draft.templateId}
            focusId={returnTo}
            isFocusedOnShow={false}
            onPick={(templateId) => {
              const picked = templates?.items.find((t) => t.id === templateId)
              const firstName = firstNameOf(customer?.name ?? conversation.contact.name)
              onChange({ ...draft, templateId, values: picked ? prefillValues(picked, firstName) : {} })
            }}
          >
            {(picked) => (
              <div className="template-form">
                <TemplateFields
                  template={picked}
                  values={draft.values}
                  check={checkTemplate(picked, draft.values)}
                  missingId={`${ids}-missing`}
                  onChange={(key, value) => onChange({ ...draft, values: { ...draft.values, [key]: value } })}
                />
                <div className="template-actions">
                  <button
                    type="button"
                    onClick={() => {
                      setReturnTo(picked.id)
                      onChange({ ...draft, templateId: null, values: {} })
                    }}
                  >
                    Other template
                  </button>
                </div>
              </div>
            )}
          </TemplateLibrary>
        </div>
      )}
    </fieldset>
  )
}
