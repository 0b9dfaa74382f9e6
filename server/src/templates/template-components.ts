import { placeholderNames, type TemplateButton, type TemplatePlaceholder, type WhatsAppTemplate } from '@carebox/shared'

/**
 * A template's components as the Graph API lists them (specs/outreach.md §1.1), read into what the console shows
 * and the placeholders an agent fills; and the `components` of a send built back from the filled values (§1.3).
 */
interface GraphComponent {
  type?: string
  format?: string
  text?: string
  example?: {
    header_text?: string[]
    header_text_named_params?: { param_name?: string; example?: string }[]
    body_text?: string[][]
    body_text_named_params?: { param_name?: string; example?: string }[]
  }
  buttons?: { type?: string; text?: string; url?: string; phone_number?: string; example?: string[] }[]
}

const mediaFormats = new Set(['IMAGE', 'VIDEO', 'DOCUMENT'])

function componentsOf(raw: unknown): GraphComponent[] {
  return Array.isArray(raw) ? (raw.filter((c) => typeof c === 'object' && c !== null) as GraphComponent[]) : []
}

function find(components: GraphComponent[], type: string): GraphComponent | undefined {
  return components.find((c) => c.type?.toUpperCase() === type)
}

function exampleOf(
  named: { param_name?: string; example?: string }[] | undefined,
  positional: string[] | undefined,
  name: string,
  index: number,
): string | null {
  const byName = named?.find((p) => p.param_name === name)?.example
  return byName ?? positional?.[index] ?? null
}

export type TemplateShape = Pick<WhatsAppTemplate, 'header' | 'body' | 'footer' | 'buttons' | 'placeholders'>

export function readComponents(raw: unknown): TemplateShape {
  const components = componentsOf(raw)
  const header = find(components, 'HEADER')
  const body = find(components, 'BODY')
  const footer = find(components, 'FOOTER')
  const buttons = find(components, 'BUTTONS')?.buttons ?? []
  const placeholders: TemplatePlaceholder[] = []
  const format = header?.format?.toUpperCase() ?? 'TEXT'
  if (header && format === 'TEXT' && header.text) {
    placeholderNames(header.text).forEach((name, i) =>
      placeholders.push({
        key: `header.${name}`,
        component: 'header',
        name,
        example: exampleOf(header.example?.header_text_named_params, header.example?.header_text, name, i),
      }),
    )
  }
  if (header && mediaFormats.has(format)) placeholders.push({ key: 'header.media', component: 'header', name: 'media', example: null })
  placeholderNames(body?.text ?? '').forEach((name, i) =>
    placeholders.push({
      key: `body.${name}`,
      component: 'body',
      name,
      example: exampleOf(body?.example?.body_text_named_params, body?.example?.body_text?.[0], name, i),
    }),
  )
  const shownButtons: TemplateButton[] = buttons.map((b) => ({
    type: b.type ?? 'QUICK_REPLY',
    text: b.text ?? '',
    ...(b.url ? { url: b.url } : {}),
    ...(b.phone_number ? { phoneNumber: b.phone_number } : {}),
  }))
  buttons.forEach((b, index) => {
    if (b.type?.toUpperCase() !== 'URL' || !b.url) return
    placeholderNames(b.url).forEach((name, i) =>
      placeholders.push({ key: `button.${index}.${name}`, component: 'button', name, example: b.example?.[i] ?? null }),
    )
  })
  return {
    header: header ? { format, text: format === 'TEXT' ? (header.text ?? null) : null } : null,
    body: body?.text ?? '',
    footer: footer?.text ?? null,
    buttons: shownButtons,
    placeholders,
  }
}

/** The `components` of a template send, with every placeholder's value; `named` adds each parameter's name. */
export function sendComponents(raw: unknown, values: Record<string, string>, named: boolean): unknown[] {
  const shape = readComponents(raw)
  const value = (key: string) => values[key]?.trim() ?? ''
  const text = (p: TemplatePlaceholder) => ({ type: 'text', text: value(p.key), ...(named ? { parameter_name: p.name } : {}) })
  const out: unknown[] = []
  const header = shape.placeholders.filter((p) => p.component === 'header')
  if (header.length > 0) {
    const media = shape.header?.format.toLowerCase() ?? 'image'
    out.push({
      type: 'header',
      parameters: header.map((p) => (p.key === 'header.media' ? { type: media, [media]: { link: value(p.key) } } : text(p))),
    })
  }
  const body = shape.placeholders.filter((p) => p.component === 'body')
  if (body.length > 0) out.push({ type: 'body', parameters: body.map(text) })
  const byButton = new Map<number, TemplatePlaceholder[]>()
  for (const p of shape.placeholders.filter((p) => p.component === 'button')) {
    const index = Number(p.key.split('.')[1])
    byButton.set(index, [...(byButton.get(index) ?? []), p])
  }
  for (const [index, params] of byButton) {
    out.push({ type: 'button', sub_type: 'url', index: String(index), parameters: params.map((p) => ({ type: 'text', text: value(p.key) })) })
  }
  return out
}
