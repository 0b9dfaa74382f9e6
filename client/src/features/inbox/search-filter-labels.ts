import type { ConversationStatus } from '@carebox/shared'

/** The search's status filter, as the inbox offers it. */
export const searchStatusLabels: Record<ConversationStatus, string> = { open: 'Open', snoozed: 'Snoozed', resolved: 'Resolved' }
