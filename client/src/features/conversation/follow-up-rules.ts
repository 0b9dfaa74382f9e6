import { channelKindNames, followUpPlan, FollowUpMessage, replyLength, replyLimit, type WhatsAppTemplate } from '@carebox/shared'
import type { FollowUpInput } from '../../store/follow-ups.slice'
import type { ReplyTarget } from './composer-rules'
import { checkTemplate, valuesToSend } from './template-rules'

/** The message a follow-up may send at its time, as the dialog holds it while it is written. */
export interface PreparedDraft {
  kind: 'none' | 'text' | 'template'
  text: string
  templateId: string | null
  values: Record<string, string>
}

export const noPreparedMessage: PreparedDraft = { kind: 'none', text: '', templateId: null, values: {} }

/** The API's cap on a prepared text, whatever the platform allows. */
const maxPreparedText = FollowUpMessage.anyOf[0].properties.text.maxLength ?? 4096

/** How long a prepared text may be: the platform's limit for a reply, within the API's. */
export function preparedTextLength(target: ReplyTarget, text: string): { length: number; limit: number } {
  const { maxLength, unit } = replyLimit(target.channel.kind, target.kind)
  return { length: replyLength(text, unit), limit: Math.min(maxLength, maxPreparedText) }
}

export interface FollowUpCheck {
  /** What will happen at the time, as the server will judge it then; null until a time is picked. */
  plan: { sends: boolean; words: string } | null
  /** Why it cannot be scheduled yet; null when it can. */
  blockedBy: string | null
}

function planned(draft: PreparedDraft): FollowUpMessage | null {
  if (draft.kind === 'none') return null
  if (draft.kind === 'text') return { kind: 'text', text: draft.text }
  return { kind: 'template', templateId: draft.templateId ?? '', values: draft.values }
}

/**
 * The live preview before scheduling: `followUpPlan` (what the server will say, and do) for the time and the kind
 * of message, and what is still missing.
 */
export function checkFollowUp(target: ReplyTarget, at: Date | null, draft: PreparedDraft, template: WhatsAppTemplate | undefined): FollowUpCheck {
  const plan = at ? followUpPlan({ kind: target.channel.kind, conversationKind: target.kind, lastInboundAt: target.lastInboundAt }, planned(draft), at) : null
  return { plan, blockedBy: at ? missingPart(target, draft, template) : 'Pick a time for the follow-up.' }
}

function missingPart(target: ReplyTarget, draft: PreparedDraft, template: WhatsAppTemplate | undefined): string | null {
  switch (draft.kind) {
    case 'none':
      return null
    case 'text': {
      if (draft.text.trim() === '') return 'Write the message, or choose no message.'
      const { length, limit } = preparedTextLength(target, draft.text)
      return length > limit ? `The message is too long for ${channelKindNames[target.channel.kind]}: at most ${limit} characters.` : null
    }
    case 'template': {
      if (!template) return 'Pick a template, or choose no message.'
      const check = checkTemplate(template, draft.values)
      return check.refusal ?? (check.isReady ? null : 'Fill in the template first.')
    }
  }
}

/** What POST …/follow-ups is sent: the time, the note if any, and the prepared message if any. */
export function followUpBody(at: Date, note: string, draft: PreparedDraft, template: WhatsAppTemplate | undefined): FollowUpInput {
  const body: FollowUpInput = { dueAt: at.toISOString() }
  if (note.trim() !== '') body.note = note.trim()
  if (draft.kind === 'text') body.message = { kind: 'text', text: draft.text.trim() }
  if (draft.kind === 'template' && template) body.message = { kind: 'template', templateId: template.id, values: valuesToSend(template, draft.values) }
  return body
}
