import type { ConversationSummary } from '@carebox/shared'
import { useState } from 'react'
import { Dialog } from '../../components/Dialog'
import { TemplateForm } from './TemplateForm'
import { TemplateLibrary } from './TemplateLibrary'

/**
 * Sends a WhatsApp template: the channel's templates, those in the customer's language first, then the chosen one's
 * placeholders to fill and a preview of what the customer will receive.
 */
export function TemplatePicker({ conversation, onClose }: { conversation: ConversationSummary; onClose: () => void }) {
  const [pickedId, setPickedId] = useState<string | null>(null)
  // Which choice has the focus when the list shows again after "Back".
  const [returnTo, setReturnTo] = useState<string | null>(null)

  return (
    <Dialog title="Send a template" onClose={onClose} className="template-dialog">
      <TemplateLibrary conversation={conversation} pickedId={pickedId} focusId={returnTo} onPick={setPickedId}>
        {(picked, customerName) => (
          <TemplateForm
            key={picked.id}
            template={picked}
            conversation={conversation}
            customerName={customerName}
            onBack={() => {
              setReturnTo(picked.id)
              setPickedId(null)
            }}
            onSent={onClose}
          />
        )}
      </TemplateLibrary>
    </Dialog>
  )
}
