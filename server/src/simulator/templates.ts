import { stableNumericId } from './ids.js'
import { buildTemplateStatusEntry, metaBody, whatsappBusinessAccountId } from './payloads/meta.js'
import type { SimState } from './state.js'
import type { DeliveryReport, SimAccount, SimTemplate, TemplateStatusEvent, TemplateStatusOptions } from './types.js'
import { buildWebhook, deliverWebhook } from './webhook-delivery.js'

/**
 * WhatsApp message templates: they belong to the WhatsApp Business Account (WABA), so every phone number of a WABA
 * sends the same ones. Meta approves, pauses and disables them and says so with a message_template_status_update
 * webhook; a send names one by name and language and must fill every placeholder. specs/outreach.md §1.
 */

/** The status a template has after each webhook event. */
export const templateStatusByEvent: Record<TemplateStatusEvent, string> = {
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  PENDING: 'PENDING',
  FLAGGED: 'FLAGGED',
  PAUSED: 'PAUSED',
  DISABLED: 'DISABLED',
  REINSTATED: 'APPROVED',
  LOCKED: 'LOCKED',
  IN_APPEAL: 'IN_APPEAL',
  ARCHIVED: 'ARCHIVED',
  UNARCHIVED: 'APPROVED',
  DELETED: 'DELETED',
  PENDING_DELETION: 'PENDING_DELETION',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
}

const orderUpdate: Record<string, { body: string; footer: string; example: string[] }> = {
  en_US: { body: 'Hi {{1}}, about your order {{2}}: {{3}}', footer: 'Reply to this message to talk to us', example: ['Ana', '88213', 'it ships tomorrow'] },
  pt_BR: {
    body: 'Olá {{1}}, sobre o seu pedido {{2}}: {{3}}',
    footer: 'Responda a esta mensagem para falar conosco',
    example: ['Ana', '88213', 'ele será enviado amanhã'],
  },
  es: {
    body: 'Hola {{1}}, sobre tu pedido {{2}}: {{3}}',
    footer: 'Responde a este mensaje para hablar con nosotros',
    example: ['Ana', '88213', 'se envía mañana'],
  },
}

/** The templates a WABA starts with when its account names none: enough for the demo to show each case. */
export function defaultWhatsAppTemplates(businessAccountId: string): SimTemplate[] {
  const id = (name: string, language: string) => stableNumericId(`template:${businessAccountId}:${name}:${language}`, 16, '1')
  const approved = { status: 'APPROVED', quality_score: { score: 'GREEN' } }
  return [
    ...Object.entries(orderUpdate).map(([language, text]) => ({
      id: id('order_update', language),
      name: 'order_update',
      language,
      ...approved,
      category: 'UTILITY',
      parameter_format: 'POSITIONAL' as const,
      components: [
        { type: 'BODY', text: text.body, example: { body_text: [text.example] } },
        { type: 'FOOTER', text: text.footer },
      ],
    })),
    {
      id: id('follow_up', 'en_US'),
      name: 'follow_up',
      language: 'en_US',
      ...approved,
      category: 'UTILITY',
      parameter_format: 'NAMED',
      components: [
        {
          type: 'BODY',
          text: 'Hello {{first_name}}, we are following up on your request. Is there anything else we can help with?',
          example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
        },
      ],
    },
    {
      id: id('spring_sale', 'en_US'),
      name: 'spring_sale',
      language: 'en_US',
      status: 'PAUSED',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      quality_score: { score: 'RED' },
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Spring sale' },
        { type: 'BODY', text: 'Hi {{1}}, everything is 20% off until Sunday with the code {{2}}.', example: { body_text: [['Ana', 'SPRING20']] } },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
      ],
    },
    {
      id: id('delivery_photo', 'en_US'),
      name: 'delivery_photo',
      language: 'en_US',
      ...approved,
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2UvanBlZw==:ARZsimulatorDeliveryPhoto'] } },
        { type: 'BODY', text: 'Your parcel {{1}} was delivered.', example: { body_text: [['88213']] } },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Talk to an agent' },
            { type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}', example: ['https://shop.example/t/88213'] },
          ],
        },
      ],
    },
  ]
}

/** The WABA's templates, in the order they were added (the stored objects). */
export function templatesOf(state: SimState, businessAccountId: string): SimTemplate[] {
  return state.meta.templates.get(businessAccountId) ?? []
}

/** The WhatsApp phone numbers of a WABA, in the order they were added. */
export function phoneNumbersOf(state: SimState, businessAccountId: string): SimAccount[] {
  return [...state.accounts.values()].filter((account) => account.kind === 'whatsapp' && whatsappBusinessAccountId(account) === businessAccountId)
}

/**
 * What `addAccount` does with an account's templates: merged into its WABA's (a template with the same id, or the
 * same name and language, replaces the stored one); none at all gives an empty WABA the default set, while an
 * explicit `[]` leaves it empty. Throws before anything is stored when a template is not a WhatsApp one or its
 * id is not numeric (the status webhook sends it as a number).
 */
export function addAccountTemplates(state: SimState, account: SimAccount): void {
  if (account.kind !== 'whatsapp') {
    if (account.templates?.length) throw new Error(`Message templates belong to WhatsApp accounts, not ${account.kind} ${account.externalId}`)
    return
  }
  const businessAccountId = whatsappBusinessAccountId(account)
  const stored = state.meta.templates.get(businessAccountId) ?? []
  if (!account.templates) {
    if (stored.length === 0) state.meta.templates.set(businessAccountId, defaultWhatsAppTemplates(businessAccountId))
    return
  }
  for (const template of account.templates) {
    if (!/^[1-9]\d{0,15}$/.test(template.id)) throw new Error(`Template ids are numeric strings of up to 16 digits, as Meta's are: got "${template.id}"`)
  }
  const merged = [...stored]
  for (const template of account.templates) {
    const index = merged.findIndex((old) => old.id === template.id || (old.name === template.name && old.language === template.language))
    const copy = structuredClone(template)
    if (index >= 0) merged[index] = copy
    else merged.push(copy)
  }
  state.meta.templates.set(businessAccountId, merged)
}

/**
 * Meta changes a template's status and tells the WABA: the stored status changes at once (a re-sync sees it),
 * then a signed message_template_status_update goes to the webhookUrl of the WABA's first phone number that has one.
 */
export async function templateStatusChanges(
  state: SimState,
  businessAccountId: string,
  templateId: string,
  event: TemplateStatusEvent,
  options: TemplateStatusOptions = {},
): Promise<DeliveryReport> {
  const template = templatesOf(state, businessAccountId).find((candidate) => candidate.id === templateId)
  if (!template) throw new Error(`WABA ${businessAccountId} has no template ${templateId}`)
  const status = templateStatusByEvent[event]
  if (!status) throw new Error(`Unknown template status event ${event}`)
  // Meta sends reason null for a scheduled deletion and NONE when there is nothing to say.
  const reason = options.reason !== undefined ? options.reason : event === 'PENDING_DELETION' ? null : 'NONE'
  template.status = status
  if (event === 'REJECTED') template.rejected_reason = reason ?? 'NONE'
  else if (status === 'APPROVED' && template.rejected_reason) template.rejected_reason = 'NONE'
  const entry = buildTemplateStatusEntry(businessAccountId, {
    event,
    template,
    reason,
    ...(options.otherInfo && { otherInfo: options.otherInfo }),
    ...(options.rejectionInfo && { rejectionInfo: options.rejectionInfo }),
    at: new Date(),
  })
  const body = metaBody('whatsapp_business_account', [entry])
  const account = phoneNumbersOf(state, businessAccountId).find((candidate) => candidate.webhookUrl)
  if (!account)
    return { attempts: 0, finalStatus: 0, delivered: false, error: `WABA ${businessAccountId} has no phone number with a webhookUrl`, payload: body }
  return { ...(await deliverWebhook(state, buildWebhook(account, body))), payload: body }
}

export interface TemplatePageRequest {
  limit: number
  after?: string
  before?: string
}

export interface TemplatePage {
  items: SimTemplate[]
  hasPrevious: boolean
  hasNext: boolean
}

/** An opaque Graph-style cursor pointing at one template. */
export function templateCursor(template: SimTemplate): string {
  return Buffer.from(`template:${template.id}`).toString('base64url')
}

function cursorIndex(templates: SimTemplate[], cursor: string): number {
  const id = Buffer.from(cursor, 'base64url')
    .toString()
    .replace(/^template:/, '')
  return templates.findIndex((template) => template.id === id)
}

/** One page of a listing: `after` starts past its template, `before` ends short of it. Undefined for a cursor that points nowhere. */
export function pageTemplates(templates: SimTemplate[], request: TemplatePageRequest): TemplatePage | undefined {
  let start = 0
  let end = templates.length
  if (request.after) {
    const index = cursorIndex(templates, request.after)
    if (index < 0) return undefined
    start = index + 1
    end = Math.min(templates.length, start + request.limit)
  } else if (request.before) {
    const index = cursorIndex(templates, request.before)
    if (index < 0) return undefined
    end = index
    start = Math.max(0, end - request.limit)
  } else {
    end = Math.min(templates.length, request.limit)
  }
  return { items: templates.slice(start, end), hasPrevious: start > 0, hasNext: end < templates.length }
}

/** Why WhatsApp refuses a template send, in Graph's terms: the HTTP status, the error code and error_data.details. */
export interface TemplateSendProblem {
  status: number
  code: number
  message: string
  details: string
}

interface SentComponent {
  type?: unknown
  sub_type?: unknown
  index?: unknown
  parameters?: unknown
}

type SentParameter = Record<string, unknown>

/** The distinct placeholders of a text, in order: `1`, `2` or `first_name`. */
export function placeholdersOf(text: unknown): string[] {
  if (typeof text !== 'string') return []
  return [...new Set([...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((match) => match[1] ?? ''))]
}

const lower = (value: unknown) => String(value ?? '').toLowerCase()
const componentOf = (components: unknown[], type: string) =>
  components.find((component) => lower((component as { type?: unknown }).type) === type.toLowerCase()) as Record<string, unknown> | undefined
const parametersOf = (component: SentComponent | undefined): SentParameter[] =>
  Array.isArray(component?.parameters) ? (component.parameters as SentParameter[]) : []

const mediaFormats = ['IMAGE', 'VIDEO', 'DOCUMENT']

function notFound(name: string, language: string): TemplateSendProblem {
  return {
    status: 404,
    code: 132001,
    message: 'Template name does not exist in the translation',
    details: `template name (${name}) does not exist in ${language}`,
  }
}

const countMismatch = (part: string, got: number, expected: number): TemplateSendProblem => ({
  status: 400,
  code: 132000,
  message: 'Number of parameters does not match the expected number of params',
  details: `${part}: number of localizable_params (${got}) does not match the expected number of params (${expected})`,
})

const missing = (details: string): TemplateSendProblem => ({ status: 400, code: 131008, message: 'Required parameter is missing', details })

/**
 * Checks a send's `template` object against the WABA's templates as WhatsApp does: the name and language must
 * exist and be APPROVED, the body (and a text header) must get one parameter per placeholder, a media header its
 * media, and a URL button with a placeholder its `button` component. Undefined when the send is good.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */
export function templateSendProblem(templates: SimTemplate[], sent: Record<string, unknown>): TemplateSendProblem | undefined {
  const name = String(sent.name)
  const language = (sent.language as { code?: unknown } | undefined)?.code
  if (typeof language !== 'string' || !language) {
    return { status: 400, code: 100, message: "The parameter template['language']['code'] is required.", details: 'template: language.code is missing' }
  }
  const template = templates.find((candidate) => candidate.name === name && candidate.language === language)
  if (!template) return notFound(name, language)
  if (template.status === 'PAUSED') {
    return {
      status: 400,
      code: 132015,
      message: 'Template is Paused',
      details: 'Template is paused due to low quality so it cannot be sent in a template message',
    }
  }
  if (template.status === 'DISABLED') {
    return {
      status: 400,
      code: 132016,
      message: 'Template is disabled',
      details: 'Template has been paused too many times due to low quality and is now permanently disabled',
    }
  }
  if (template.status !== 'APPROVED') return notFound(name, language)

  const sentComponents = Array.isArray(sent.components) ? (sent.components as unknown[]) : []
  const header = componentOf(template.components, 'HEADER')
  const sentHeader = componentOf(sentComponents, 'header')
  const format = String(header?.format ?? 'TEXT').toUpperCase()
  if (header && mediaFormats.includes(format)) {
    const [parameter] = parametersOf(sentHeader)
    const type = lower(parameter?.type)
    if (type !== format.toLowerCase()) {
      return {
        status: 400,
        code: 132012,
        message: 'Parameter format does not match format in the created template',
        details: `header: Format mismatch, expected ${format}, received ${type ? type.toUpperCase() : 'UNKNOWN'}`,
      }
    }
    const media = parameter?.[type] as { link?: unknown; id?: unknown } | undefined
    if (!media?.link && !media?.id) return missing(`header: the ${type} parameter needs a link or an id`)
  } else if (header) {
    const expected = placeholdersOf(header.text).length
    const got = parametersOf(sentHeader).length
    if (got !== expected) return countMismatch('header', got, expected)
  }

  const body = componentOf(template.components, 'BODY')
  const placeholders = placeholdersOf(body?.text)
  const bodyParameters = parametersOf(componentOf(sentComponents, 'body'))
  if (bodyParameters.length !== placeholders.length) return countMismatch('body', bodyParameters.length, placeholders.length)
  for (const [index, parameter] of bodyParameters.entries()) {
    if (lower(parameter.type) === 'text' && (typeof parameter.text !== 'string' || !parameter.text)) {
      return missing(`body: parameter ${index + 1} of type text has no text`)
    }
    if (template.parameter_format === 'NAMED' && !placeholders.includes(String(parameter.parameter_name))) {
      return {
        ...countMismatch('body', bodyParameters.length, placeholders.length),
        details: `body: parameter_name (${String(parameter.parameter_name ?? '')}) is not one of the template's params (${placeholders.join(', ')})`,
      }
    }
  }

  const buttons = componentOf(template.components, 'BUTTONS')?.buttons
  for (const [index, button] of (Array.isArray(buttons) ? (buttons as Record<string, unknown>[]) : []).entries()) {
    if (lower(button.type) !== 'url' || placeholdersOf(button.url).length === 0) continue
    const sentButton = sentComponents.find(
      (component) =>
        lower((component as SentComponent).type) === 'button' &&
        lower((component as SentComponent).sub_type) === 'url' &&
        String((component as SentComponent).index) === String(index),
    ) as SentComponent | undefined
    const [parameter] = parametersOf(sentButton)
    if (typeof parameter?.text !== 'string' || !parameter.text) return missing(`buttons: Button at index ${index} of type Url requires a parameter`)
  }
  return undefined
}
