import { orderTemplates, type ConversationSummary } from '@carebox/shared'
import { useEffect, useState } from 'react'
import { Dialog } from '../../components/Dialog'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'
import { ChannelSettingsHint } from './ChannelSettingsHint'
import { TemplateChoices } from './TemplateChoices'
import { TemplateForm } from './TemplateForm'

/**
 * Sends a WhatsApp template: the channel's templates, those in the customer's language first, then the chosen one's
 * placeholders to fill and a preview of what the customer will receive.
 */
export function TemplatePicker({ conversation, onClose }: { conversation: ConversationSummary; onClose: () => void }) {
  const channelId = conversation.channel.id
  const list = useStore((s) => s.templatesByChannel[channelId])
  const error = useStore((s) => s.templatesErrors[channelId])
  const load = useStore((s) => s.loadTemplates)
  const customer = useStore((s) => s.customersByConversation[conversation.id])
  const [pickedId, setPickedId] = useState<string | null>(null)
  // Which choice has the focus when the list shows again after "Back".
  const [returnTo, setReturnTo] = useState<string | null>(null)

  // Read again on every opening: Meta approves, pauses and disables templates at any time.
  useEffect(() => {
    void load(channelId)
  }, [channelId, load])

  const language = conversation.language ?? customer?.language ?? null
  const picked = pickedId ? list?.items.find((t) => t.id === pickedId) : undefined

  const body = () => {
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
    if (picked) {
      return (
        <TemplateForm
          key={picked.id}
          template={picked}
          conversation={conversation}
          customerName={customer?.name ?? conversation.contact.name}
          onBack={() => {
            setReturnTo(picked.id)
            setPickedId(null)
          }}
          onSent={onClose}
        />
      )
    }
    return (
      <>
        <p className="muted">
          {language ? `The customer's language is ${language}: templates in it come first.` : "The customer's language is not known yet."}
        </p>
        {error && (
          <p role="alert" className="error">
            Could not read the templates again: {error}
          </p>
        )}
        <TemplateChoices templates={orderTemplates(list.items, language)} focusId={returnTo} onPick={setPickedId} />
      </>
    )
  }

  return (
    <Dialog title="Send a template" onClose={onClose} className="template-dialog">
      {body()}
    </Dialog>
  )
}
