import type { ConversationSummary } from '@carebox/shared'

const platformNames = {
  facebook: 'Messenger',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
  x: 'X',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
} as const

/** What to call the customer: their name, else their handle, else who they are on which platform. */
export function contactName(conversation: ConversationSummary): string {
  return conversation.contact.name ?? conversation.contact.handle ?? `${platformNames[conversation.channel.kind]} customer`
}

/** What to call a customer known by name or handle only (a merged contact, a search match). */
export function customerLabel(customer: { name: string | null; handle: string | null }): string {
  return customer.name ?? customer.handle ?? 'Unnamed customer'
}
