import type { TemplatePlaceholder } from '@carebox/shared'
import { describe, expect, it } from 'vitest'
import { canSendTemplates, firstNameOf, placeholderLabel, prefillValues } from '../../client/src/features/conversation/template-rules'
import { conversationOf } from './conversation-fixtures'

const whatsapp = { id: crypto.randomUUID(), kind: 'whatsapp' as const, name: 'Acme on WhatsApp' }

function body(name: string): TemplatePlaceholder {
  return { key: `body.${name}`, component: 'body', name, example: null }
}

describe('prefillValues', () => {
  it('gives a body placeholder named first_name or name the first name', () => {
    expect(prefillValues({ body: 'Your order {{order}} left, {{first_name}}.', placeholders: [body('order'), body('first_name')] }, 'Rosa')).toEqual({
      'body.first_name': 'Rosa',
    })
    expect(prefillValues({ body: 'Thanks {{name}}!', placeholders: [body('name')] }, 'Rosa')).toEqual({ 'body.name': 'Rosa' })
  })

  it('gives {{1}} the first name when the body starts by greeting it', () => {
    for (const text of ['Hi {{1}}, order {{2}} is late.', 'Hello, {{1}}!', 'Olá {{1}}', 'Hola {{ 1 }}, ¿qué tal?']) {
      expect(prefillValues({ body: text, placeholders: [body('1'), body('2')] }, 'Rosa')).toEqual({ 'body.1': 'Rosa' })
    }
  })

  it('guesses nothing else', () => {
    expect(prefillValues({ body: 'Order {{1}} is late.', placeholders: [body('1')] }, 'Rosa')).toEqual({})
    expect(prefillValues({ body: 'Hi there, order {{1}} is late.', placeholders: [body('1')] }, 'Rosa')).toEqual({})
    expect(prefillValues({ body: 'Hi {{1}}', placeholders: [body('1')] }, null)).toEqual({})
  })
})

describe('firstNameOf', () => {
  it('takes the first word of the name, and nothing from no name', () => {
    expect(firstNameOf('  Rosa Maria Diaz ')).toBe('Rosa')
    expect(firstNameOf('')).toBeNull()
    expect(firstNameOf(null)).toBeNull()
  })
})

describe('placeholderLabel', () => {
  it('names where each placeholder is: header, body, a URL button by its label, a media header', () => {
    const template = {
      header: { format: 'IMAGE', text: null },
      buttons: [
        { type: 'QUICK_REPLY', text: 'Stop' },
        { type: 'URL', text: 'Track' },
      ],
    }

    expect(placeholderLabel(template, { key: 'header.media', component: 'header', name: 'media', example: null })).toBe('Header image link')
    expect(placeholderLabel(template, { key: 'header.1', component: 'header', name: '1', example: null })).toBe('Header {{1}}')
    expect(placeholderLabel(template, body('first_name'))).toBe('Body {{first_name}}')
    expect(placeholderLabel(template, { key: 'button.1.1', component: 'button', name: '1', example: null })).toBe('Track button {{1}}')
  })
})

describe('canSendTemplates', () => {
  it('is true for WhatsApp DMs only', () => {
    expect(canSendTemplates(conversationOf({ channel: whatsapp }))).toBe(true)
    expect(canSendTemplates(conversationOf({ channel: whatsapp, kind: 'public' }))).toBe(false)
    expect(canSendTemplates(conversationOf())).toBe(false)
  })
})
