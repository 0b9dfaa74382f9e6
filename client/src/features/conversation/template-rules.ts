import { renderTemplate, templateRefusal, templatesApi, type TemplatePlaceholder, type WhatsAppTemplate } from '@carebox/shared'
import type { ReplyTarget } from './composer-rules'

/** The API's cap on one placeholder's value. */
export const maxValueLength = Object.values(templatesApi.send.schema.body.properties.values.patternProperties)[0]?.maxLength ?? 1000

/** Templates reach WhatsApp customers in a DM, whether the 24-hour window is open (utility updates) or closed. */
export function canSendTemplates(target: Pick<ReplyTarget, 'channel' | 'kind'>): boolean {
  return target.channel.kind === 'whatsapp' && target.kind === 'dm'
}

/** What the agent is asked for: "Body {{1}}", "Header image link", "Track button {{1}}". */
export function placeholderLabel(template: Pick<WhatsAppTemplate, 'header' | 'buttons'>, placeholder: TemplatePlaceholder): string {
  if (placeholder.key === 'header.media') return `Header ${(template.header?.format ?? 'media').toLowerCase()} link`
  const name = `{{${placeholder.name}}}`
  if (placeholder.component === 'header') return `Header ${name}`
  if (placeholder.component === 'body') return `Body ${name}`
  // `button.<index>.<name>`: the index is the button's position in the template, from 0.
  const button = template.buttons[Number(placeholder.key.split('.')[1])]
  return button?.text ? `${button.text} button ${name}` : `Button ${name}`
}

/** The first word of a customer's name: what a greeting uses. */
export function firstNameOf(name: string | null | undefined): string | null {
  return name?.trim().split(/\s+/)[0] || null
}

const namedFirstName = ['first_name', 'name']
/** "Hi {{1}}", "Hello, {{1}}", "Olá {{1}}", "Hola {{1}}"…: a body that greets its first placeholder by name. */
const greeting = /^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|olá|ola|oi|hola|buenos días|buenas|bonjour|hallo|ciao)[\s,]+\{\{\s*1\s*\}\}/iu

/**
 * Values filled in before the agent types: the customer's first name where the template plainly asks for it (a body
 * placeholder called `first_name` or `name`, or a body that starts by greeting `{{1}}`). Nothing else is guessed.
 */
export function prefillValues(template: Pick<WhatsAppTemplate, 'body' | 'placeholders'>, firstName: string | null): Record<string, string> {
  if (!firstName) return {}
  const body = template.placeholders.filter((p) => p.component === 'body')
  const named = body.find((p) => namedFirstName.includes(p.name.toLowerCase()))
  if (named) return { [named.key]: firstName }
  const first = body[0]
  if (first?.name === '1' && greeting.test(template.body)) return { [first.key]: firstName }
  return {}
}

const httpsLink = /^https:\/\/\S+$/

/** Why the server would refuse a value as typed (a header's media must be an https link WhatsApp can fetch); null when fine. */
export function valueProblem(placeholder: TemplatePlaceholder, value: string): string | null {
  if (placeholder.key !== 'header.media' || value.trim() === '') return null
  return httpsLink.test(value.trim()) ? null : 'Give an https:// link that WhatsApp can fetch.'
}

/** Where a template and the values typed for it stand: what the customer would receive, and whether it can go as it is. */
export interface TemplateCheck {
  text: string
  /** The keys still to fill in. */
  missing: string[]
  /** Why each value would be refused, by key (null when fine). */
  problems: Record<string, string | null>
  /** Why the template itself cannot be sent (paused, rejected…); null when it can. */
  refusal: string | null
  isReady: boolean
}

export function checkTemplate(template: WhatsAppTemplate, values: Record<string, string>): TemplateCheck {
  const { text, missing } = renderTemplate(template, values)
  const refusal = templateRefusal(template)
  const problems = Object.fromEntries(template.placeholders.map((p) => [p.key, valueProblem(p, values[p.key] ?? '')]))
  const isReady = missing.length === 0 && refusal === null && Object.values(problems).every((problem) => problem === null)
  return { text, missing, problems, refusal, isReady }
}

/** The values as the API takes them: one per placeholder, trimmed. */
export function valuesToSend(template: Pick<WhatsAppTemplate, 'placeholders'>, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(template.placeholders.map((p) => [p.key, (values[p.key] ?? '').trim()]))
}
