import { outcomeKindLabels, type ConversationOutcome } from '@carebox/shared'

const moneyFormats = new Map<string, Intl.NumberFormat>()

/** "€129.00"; an unusual currency code still shows its amount. */
export function formatOutcomeValue(value: number, currency: string): string {
  let format = moneyFormats.get(currency)
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency })
    } catch {
      return `${value.toFixed(2)} ${currency}`
    }
    moneyFormats.set(currency, format)
  }
  return format.format(value)
}

/** "Purchase, €129.00" or "Lead". */
export function outcomeTitle(outcome: ConversationOutcome): string {
  const label = outcomeKindLabels[outcome.kind]
  return outcome.value !== null && outcome.currency ? `${label}, ${formatOutcomeValue(outcome.value, outcome.currency)}` : label
}

/** Where reporting it to Meta stands, in a few words; null when the channel reports nothing to Meta. */
export function conversionWords(conversion: ConversationOutcome['conversion']): string | null {
  switch (conversion.status) {
    case 'not_configured':
      return null
    case 'pending':
      return conversion.error ? `Sending to Meta again (last try: ${conversion.error})` : 'Sending to Meta…'
    case 'sent':
      return 'Sent to Meta'
    case 'failed':
      return `Not sent to Meta: ${conversion.error ?? 'Meta refused it'}`
    case 'skipped':
      return `Not sent to Meta: ${conversion.error ?? 'nothing to match it to'}`
  }
}

export interface OutcomeDraft {
  kind: 'lead' | 'purchase'
  value: string
  currency: string
}

/** The body to send, or what is wrong with the draft in words the agent can act on. */
export function checkOutcome(draft: OutcomeDraft): { body: { kind: 'lead' } | { kind: 'purchase'; value: number; currency: string } } | { error: string } {
  if (draft.kind === 'lead') return { body: { kind: 'lead' } }
  const value = Number(draft.value.trim().replace(',', '.'))
  if (draft.value.trim() === '' || !Number.isFinite(value) || value < 0.01) return { error: 'Enter the purchase value, such as 129.90.' }
  if (value > 999_999_999_999) return { error: 'That value is too large.' }
  const currency = draft.currency.trim().toUpperCase()
  if (!/^[A-Z]{3}$/.test(currency)) return { error: 'Enter the currency as its three-letter code, such as EUR or USD.' }
  return { body: { kind: 'purchase', value: Math.round(value * 100) / 100, currency } }
}
