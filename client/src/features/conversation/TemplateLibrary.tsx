import { orderTemplates, type ConversationSummary, type WhatsAppTemplate } from '@carebox/shared'
import { useEffect, type ReactNode } from 'react'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'
import { ChannelSettingsHint } from './ChannelSettingsHint'
import { TemplateChoices } from './TemplateChoices'

/**
 * A WhatsApp channel's templates to choose from, those in the customer's language first, or why there are none; once
 * one is picked, what `children` makes of it (send it now, or prepare it for a follow-up).
 */
export function TemplateLibrary({
  conversation,
  pickedId,
  focusId,
  isFocusedOnShow = true,
  onPick,
  children,
}: {
  conversation: ConversationSummary
  pickedId: string | null
  /** The choice to focus when the list shows again (the one just left). */
  focusId: string | null
  /** Whether the list takes the focus when it appears; it always does when coming back from a template. */
  isFocusedOnShow?: boolean
  onPick: (id: string) => void
  children: (picked: WhatsAppTemplate, customerName: string | null) => ReactNode
}) {
  const channelId = conversation.channel.id
  const list = useStore((s) => s.templatesByChannel[channelId])
  const error = useStore((s) => s.templatesErrors[channelId])
  const load = useStore((s) => s.loadTemplates)
  const customer = useStore((s) => s.customersByConversation[conversation.id])

  // Read again on every opening: Meta approves, pauses and disables templates at any time.
  useEffect(() => {
    void load(channelId)
  }, [channelId, load])

  const language = conversation.language ?? customer?.language ?? null
  const picked = pickedId ? list?.items.find((t) => t.id === pickedId) : undefined

  if (!list) {
    return error ? (
      <p role="alert" className="error">
        Could not load the templates: {error}
      </p>
    ) : (
      <p className="muted">Loading templates…</p>
    )
  }
  if (!list.businessAccountId) {
    return (
      <>
        <p>This WhatsApp channel has no WhatsApp Business Account id, so Carebox cannot read its templates.</p>
        <ChannelSettingsHint what="add the WhatsApp Business Account id to the channel" />
      </>
    )
  }
  if (list.items.length === 0) {
    return (
      <>
        <p>
          No templates found for this WhatsApp Business Account (
          {list.syncedAt ? (
            <>
              last read <RelativeTime at={list.syncedAt} />
            </>
          ) : (
            'never read'
          )}
          ). Templates are created and approved in WhatsApp Manager.
        </p>
        <ChannelSettingsHint what="read the channel's templates again" />
      </>
    )
  }
  if (picked) return children(picked, customer?.name ?? conversation.contact.name)
  return (
    <>
      <p className="muted">{language ? `The customer's language is ${language}: templates in it come first.` : "The customer's language is not known yet."}</p>
      {error && (
        <p role="alert" className="error">
          Could not read the templates again: {error}
        </p>
      )}
      <TemplateChoices
        templates={orderTemplates(list.items, language)}
        focusId={focusId}
        isFocusedOnShow={isFocusedOnShow || focusId !== null}
        onPick={onPick}
      />
    </>
  )
}
