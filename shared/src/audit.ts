import { Type, type Static } from '@sinclair/typebox'
import { Id } from './common.js'

/**
 * Every action the audit log records, as a person reads it. A new `recordAudit` action gets its line here (a test
 * reads the server's sources and says which are missing); one without falls back to auditActionLabel's wording.
 */
export const auditActionLabels: Readonly<Record<string, string>> = {
  'auth.login': 'Signed in',
  'auth.login_failed': 'Sign-in failed',
  'auth.login_throttled': 'Sign-in blocked after too many tries',
  'auth.logout': 'Signed out',
  'canned_reply.created': 'Canned reply created',
  'canned_reply.updated': 'Canned reply changed',
  'canned_reply.deleted': 'Canned reply deleted',
  'change.dead_letter_replayed': 'Change replayed for a consumer',
  'change.dead_letter_replay_failed': 'Change replay failed again',
  'channel.created': 'Channel connected',
  'channel.updated': 'Channel settings changed',
  'channel.auto_reply_updated': 'Out-of-hours reply changed',
  'channel.conversions_updated': 'Conversion reporting changed',
  'channel.dead_letter_replayed': 'Dead letter replayed',
  'channel.templates_refreshed': 'Message templates refreshed',
  'channel.webhook_registered': 'Webhook registered with the platform',
  'comment.hide': 'Comment hidden',
  'comment.unhide': 'Comment shown again',
  'comment.delete': 'Comment deleted',
  'comment.like': 'Comment liked',
  'contact.created': 'Contact created',
  'contact.updated': 'Contact changed',
  'contact.merged': 'Contacts merged',
  'contact.merge_undone': 'Contact merge undone',
  'contact.noted': 'Note added to a contact',
  'conversation.assigned': 'Conversation assigned',
  'conversation.transferred': 'Conversation moved to another team',
  'conversation.status_changed': 'Conversation status changed',
  'conversation.updated': 'Conversation priority or tags changed',
  'conversation.noted': 'Note added to a conversation',
  'conversation.replied': 'Reply sent',
  'conversation.reply_retried': 'Failed reply sent again',
  'conversation.reply_marked_sent': 'Reply marked as sent',
  'conversation.follow_up_scheduled': 'Follow-up scheduled',
  'conversation.follow_up_cancelled': 'Follow-up cancelled',
  'conversation.transcript_exported': 'Transcript exported',
  'message.sentiment': 'Message sentiment corrected',
  'report.exported': 'Report exported',
  'reports.settings_updated': 'Report settings changed',
  'rule.created': 'Rule created',
  'rule.updated': 'Rule changed',
  'rule.deleted': 'Rule deleted',
  'sla_policy.created': 'SLA policy created',
  'sla_policy.updated': 'SLA policy changed',
  'sla_policy.deleted': 'SLA policy deleted',
  'sla_policy.reordered': 'SLA policies reordered',
  'surveys.settings_changed': 'Survey settings changed',
  'team.created': 'Team created',
  'team.renamed': 'Team renamed',
  'team.routing_updated': 'Team routing changed',
  'token.created': 'API token created',
  'token.revoked': 'API token revoked',
  'user.invited': 'User invited',
  'user.invite_revoked': 'Invitation withdrawn',
  'user.joined': 'Invitation accepted',
  'user.renamed': 'User renamed',
  'user.role_changed': 'User role changed',
  'user.teams_changed': 'User teams changed',
  'user.routing_updated': 'User routing changed',
  'user.deactivated': 'User deactivated',
  'user.reactivated': 'User reactivated',
  'user.password_reset_issued': 'Password reset link issued',
  'user.password_reset_completed': 'Password reset',
  'user.created_from_environment': 'First admin created at start-up',
  'user.created_for_demo': 'Demo user created',
  'webhook.created': 'Webhook endpoint added',
  'webhook.updated': 'Webhook endpoint changed',
  'webhook.deleted': 'Webhook endpoint removed',
  'webhook.secret_rotated': 'Webhook signing secret rotated',
  'webhook.replayed': 'Webhook deliveries sent again',
}

/** The label of an action; one not in the catalogue reads from its code ("team.renamed" → "Team: renamed"). */
export function auditActionLabel(action: string): string {
  const known = auditActionLabels[action]
  if (known) return known
  const [subject = action, ...rest] = action.split('.')
  const words = (text: string) => text.replaceAll('_', ' ')
  const head = words(subject).charAt(0).toUpperCase() + words(subject).slice(1)
  return rest.length > 0 ? `${head}: ${words(rest.join(' '))}` : head
}

/** What each kind of target is, to read before its name ("Conversation with" Ana Souza). */
export const auditTargetLabels: Readonly<Record<string, string>> = {
  channel: 'Channel',
  user: 'User',
  team: 'Team',
  token: 'API token',
  webhook_endpoint: 'Webhook endpoint',
  canned_reply: 'Canned reply',
  rule: 'Rule',
  sla_policy: 'SLA policy',
  contact: 'Contact',
  conversation: 'Conversation with',
  message: 'Message from',
  invite: 'Invitation for',
  change: 'Change',
}

export function auditTargetLabel(type: string): string {
  return auditTargetLabels[type] ?? type.replaceAll('_', ' ')
}

/** Who appears in the audit log's "Who" filter: every person and API token, including former ones. */
export const AuditActorOption = Type.Object({
  kind: Type.Union([Type.Literal('user'), Type.Literal('token')]),
  id: Id,
  name: Type.String(),
  /** A person's email, to tell two of the same name apart. */
  email: Type.Optional(Type.String()),
})
export type AuditActorOption = Static<typeof AuditActorOption>

/** What the audit log can be filtered by. */
export const AuditFacets = Type.Object({
  actors: Type.Array(AuditActorOption),
  /** Every known action and every action recorded so far, by label. */
  actions: Type.Array(Type.Object({ action: Type.String(), label: Type.String() })),
})
export type AuditFacets = Static<typeof AuditFacets>
