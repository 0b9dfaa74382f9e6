import type { SurgeAlert } from '@carebox/shared'

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 })
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 })

/** What surged: a channel by its name, or a tag. */
export function surgeSubject(surge: SurgeAlert): string {
  return surge.scope === 'tag' ? `tag “${surge.label}”` : surge.label
}

/** "More messages than usual on Acme on WhatsApp": the line a toast and the panel lead with. */
export function surgeTitle(surge: SurgeAlert): string {
  const isVolume = surge.reasons.includes('volume')
  const isNegative = surge.reasons.includes('negative')
  const what = isVolume && isNegative ? 'More messages and more complaints' : isNegative ? 'More complaints' : 'More messages'
  return `${what} than usual on ${surgeSubject(surge)}`
}

export function surgeVolumeText(surge: SurgeAlert): string {
  return `${surge.inbound} ${surge.inbound === 1 ? 'message' : 'messages'} vs ${decimal.format(surge.baseline)} usual`
}

export function surgeNegativeText(surge: SurgeAlert): string {
  return `${percent.format(surge.negativeShare)} negative vs ${percent.format(surge.baselineNegativeShare)} usual`
}
