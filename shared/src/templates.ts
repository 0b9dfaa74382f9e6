import { Type, type Static } from '@sinclair/typebox'
import { Id, IsoDateTime } from './common.js'
import { defineRoute } from './contract.js'
import { Message } from './conversations.js'

/**
 * WhatsApp message templates: what a business may send outside the 24-hour window (and inside it, for utility
 * updates). Meta approves each one; Carebox reads them from the WhatsApp Business Account (WABA) and keeps their
 * status in step with the message_template_status_update webhook. Wire formats: specs/outreach.md §1.
 */
export const templateStatuses = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'PENDING_DELETION',
  'DELETED',
  'LIMIT_EXCEEDED',
  'ARCHIVED',
  'LOCKED',
  'FLAGGED',
] as const
export type TemplateStatus = (typeof templateStatuses)[number]

/** One value the agent fills in: a {{1}} or {{first_name}} of the header, body or a URL button, or a header's media link. */
export const TemplatePlaceholder = Type.Object({
  /** `header.1`, `body.2`, `body.first_name`, `button.1.1` (button index 1, its first parameter), `header.media`. */
  key: Type.String(),
  component: Type.Union([Type.Literal('header'), Type.Literal('body'), Type.Literal('button')]),
  /** What the placeholder is called in the template: `1`, `first_name`; `media` for a header's picture or file. */
  name: Type.String(),
  /** The example Meta approved the template with, if any: a hint for the agent. */
  example: Type.Union([Type.String(), Type.Null()]),
})
export type TemplatePlaceholder = Static<typeof TemplatePlaceholder>

export const TemplateButton = Type.Object({
  type: Type.String(),
  text: Type.String(),
  url: Type.Optional(Type.String()),
  phoneNumber: Type.Optional(Type.String()),
})
export type TemplateButton = Static<typeof TemplateButton>

export const WhatsAppTemplate = Type.Object({
  id: Id,
  /** Meta's template id (a string here, although the status webhook sends it as a number). */
  externalId: Type.String(),
  name: Type.String(),
  /** Meta's code: `en_US`, `pt_BR`, `es`. */
  language: Type.String(),
  category: Type.String(),
  status: Type.String(),
  parameterFormat: Type.Union([Type.Literal('POSITIONAL'), Type.Literal('NAMED')]),
  header: Type.Union([Type.Object({ format: Type.String(), text: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  body: Type.String(),
  footer: Type.Union([Type.String(), Type.Null()]),
  buttons: Type.Array(TemplateButton),
  placeholders: Type.Array(TemplatePlaceholder),
  /** Why Meta rejected, paused or disabled it, when it said. */
  reason: Type.Union([Type.String(), Type.Null()]),
  qualityScore: Type.Union([Type.String(), Type.Null()]),
  updatedAt: IsoDateTime,
})
export type WhatsAppTemplate = Static<typeof WhatsAppTemplate>

export const TemplateList = Type.Object({
  items: Type.Array(WhatsAppTemplate),
  /** The channel's WhatsApp Business Account id; null until set in the channel's settings. */
  businessAccountId: Type.Union([Type.String(), Type.Null()]),
  /** When the list was last read from the platform; null if never. */
  syncedAt: Type.Union([IsoDateTime, Type.Null()]),
})
export type TemplateList = Static<typeof TemplateList>

/** Only an approved template may be sent (Meta refuses the rest); the words say why another cannot. */
export function templateRefusal(template: Pick<WhatsAppTemplate, 'status' | 'reason'>): string | null {
  if (template.status === 'APPROVED') return null
  const why = template.reason && template.reason !== 'NONE' ? ` (${template.reason})` : ''
  switch (template.status) {
    case 'PENDING':
    case 'IN_APPEAL':
      return `Meta has not approved this template yet${why}.`
    case 'REJECTED':
      return `Meta rejected this template${why}: edit it in WhatsApp Manager.`
    case 'PAUSED':
      return `Meta paused this template for low quality${why}: it cannot be sent until it is unpaused.`
    case 'DISABLED':
      return `Meta disabled this template${why}.`
    default:
      return `This template cannot be sent: its status is ${template.status.toLowerCase().replace(/_/g, ' ')}${why}.`
  }
}

const placeholderPattern = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g

/** The placeholders of one text, in order of first appearance: `1`, `2` or `first_name`. */
export function placeholderNames(text: string): string[] {
  const names: string[] = []
  for (const match of text.matchAll(placeholderPattern)) if (!names.includes(match[1]!)) names.push(match[1]!)
  return names
}

function fill(text: string, component: string, values: Record<string, string>): string {
  return text.replace(placeholderPattern, (whole, name: string) => {
    const value = values[`${component}.${name}`]?.trim()
    return value ? value : whole
  })
}

/**
 * What the customer will read: header, body and footer with the values in place, and the buttons' labels.
 * `missing` lists the placeholders still empty (the template cannot be sent until it is empty).
 */
export function renderTemplate(
  template: Pick<WhatsAppTemplate, 'header' | 'body' | 'footer' | 'buttons' | 'placeholders'>,
  values: Record<string, string>,
): { text: string; missing: string[] } {
  const missing = template.placeholders.filter((p) => !values[p.key]?.trim()).map((p) => p.key)
  const parts: string[] = []
  if (template.header?.text) parts.push(fill(template.header.text, 'header', values))
  parts.push(fill(template.body, 'body', values))
  if (template.footer) parts.push(template.footer)
  const buttons = template.buttons.map((b) => `[${b.text}]`).join(' ')
  if (buttons) parts.push(buttons)
  return { text: parts.join('\n\n'), missing }
}

/** Customer's language first (`pt` matches `pt_BR`), then the rest; within each, approved before the others, by name. */
export function orderTemplates<T extends Pick<WhatsAppTemplate, 'language' | 'status' | 'name'>>(templates: T[], customerLanguage: string | null): T[] {
  const base = (code: string) => code.toLowerCase().split(/[_-]/)[0]
  const rank = (t: T) => (customerLanguage && base(t.language) === base(customerLanguage) ? 0 : 2) + (t.status === 'APPROVED' ? 0 : 1)
  return [...templates].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.language.localeCompare(b.language))
}

const ChannelParams = Type.Object({ id: Id })

export const templatesApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/channels/:id/templates',
    summary: "A WhatsApp channel's message templates, as last read from the platform",
    tags: ['templates'],
    access: { role: 'agent' },
    schema: { params: ChannelParams, response: { 200: TemplateList } },
  }),
  refresh: defineRoute({
    method: 'POST',
    url: '/api/channels/:id/templates/refresh',
    summary: "Read a WhatsApp channel's templates from the platform again (team leads and admins)",
    tags: ['templates'],
    access: { role: 'lead' },
    schema: { params: ChannelParams, response: { 200: TemplateList } },
  }),
  send: defineRoute({
    method: 'POST',
    url: '/api/conversations/:id/template-replies',
    summary: 'Send an approved WhatsApp template to the customer, its placeholders filled: queued, then sent by the outbox',
    tags: ['templates'],
    access: { role: 'agent' },
    schema: {
      params: Type.Object({ id: Id }),
      body: Type.Object(
        {
          templateId: Id,
          /** Placeholder key → value (see TemplatePlaceholder.key). Every placeholder must have one. */
          values: Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 1000 }), { maxProperties: 40 }),
          clientKey: Id,
        },
        { additionalProperties: false },
      ),
      response: { 200: Message },
    },
  }),
}
