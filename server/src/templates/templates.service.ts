import { renderTemplate, templateRefusal, type Message, type TemplateList } from '@carebox/shared'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { Identity } from '../auth/identity.js'
import { cachedChannel } from '../channels/channel-cache.js'
import { ConnectorError } from '../channels/connector.js'
import { fetchWhatsAppTemplates } from '../channels/meta/whatsapp.templates.js'
import type { AppContext } from '../context.js'
import { findVisibleConversation, queueTemplateReply } from '../conversations/conversation-actions.service.js'
import { AppError } from '../errors.js'
import { sendComponents } from './template-components.js'
import { findTemplate, listTemplates, replaceTemplates } from './whatsapp-templates.repository.js'

type Actor = AuditRecord['actor']

/** A WhatsApp channel the caller may see, with its business account id (null until set). */
async function whatsappChannel(ctx: AppContext, teamIds: string[] | null, channelId: string) {
  const cached = await cachedChannel(ctx, channelId)
  if (!cached || (teamIds && !teamIds.includes(cached.row.teamId))) throw new AppError('not_found', 'No such channel.')
  if (cached.row.kind !== 'whatsapp') throw new AppError('validation_failed', 'Only WhatsApp channels have message templates.')
  return { runtime: cached.runtime, businessAccountId: cached.runtime.config.businessAccountId ?? null }
}

export async function channelTemplates(ctx: AppContext, teamIds: string[] | null, channelId: string): Promise<TemplateList> {
  const { businessAccountId } = await whatsappChannel(ctx, teamIds, channelId)
  if (!businessAccountId) return { items: [], businessAccountId: null, syncedAt: null }
  const { items, syncedAt } = await listTemplates(ctx.db, businessAccountId)
  return { items, businessAccountId, syncedAt: syncedAt?.toISOString() ?? null }
}

/** Reads the account's templates from the platform again, replacing the stored list. */
export async function refreshTemplates(ctx: AppContext, teamIds: string[] | null, channelId: string, actor: Actor): Promise<TemplateList> {
  const { runtime, businessAccountId } = await whatsappChannel(ctx, teamIds, channelId)
  if (!businessAccountId) {
    throw new AppError('conflict', "Set the channel's WhatsApp Business Account id in Settings → Channels first: templates belong to that account.")
  }
  let listed
  try {
    listed = await fetchWhatsAppTemplates(runtime, businessAccountId)
  } catch (error) {
    if (error instanceof ConnectorError) throw new AppError('unavailable', `WhatsApp did not list the templates: ${error.message}`)
    throw error
  }
  await ctx.db.transaction().execute(async (trx) => {
    await replaceTemplates(trx, businessAccountId, listed, ctx.clock.now())
    await recordAudit(trx, { action: 'channel.templates_refreshed', actor, target: { type: 'channel', id: channelId }, details: { count: listed.length } })
  })
  return channelTemplates(ctx, teamIds, channelId)
}

const httpsLink = /^https:\/\/[^\s]+$/

/** A template send ready for the outbox: the text the customer will read and the platform's components. */
export interface PreparedTemplate {
  text: string
  template: { name: string; language: string; components: unknown[] }
}

/**
 * Checks a template and its values for a send from a channel of `businessAccountId`: approved, every placeholder
 * filled, none unknown, a media header an https link. Throws the AppError an agent reads; changes nothing.
 */
export async function prepareTemplate(
  ctx: AppContext,
  businessAccountId: string | undefined,
  templateId: string,
  values: Record<string, string>,
): Promise<PreparedTemplate> {
  const template = await findTemplate(ctx.db, templateId)
  if (!template) throw new AppError('not_found', 'No such template: refresh the list in Settings → Channels.')
  if (businessAccountId !== template.businessAccountId) {
    throw new AppError('validation_failed', "This template belongs to another WhatsApp Business Account than the conversation's channel.")
  }
  const refusal = templateRefusal(template)
  if (refusal) throw new AppError('conflict', refusal)
  const known = new Set(template.placeholders.map((p) => p.key))
  const unknown = Object.keys(values).filter((key) => !known.has(key))
  if (unknown.length > 0) throw new AppError('validation_failed', `The template has no placeholder ${unknown.join(', ')}.`)
  const { text, missing } = renderTemplate(template, values)
  if (missing.length > 0) throw new AppError('validation_failed', `Fill in every placeholder first: ${missing.join(', ')}.`)
  const media = values['header.media']?.trim()
  if (media !== undefined && !httpsLink.test(media)) throw new AppError('validation_failed', "The header's media must be an https:// link WhatsApp can fetch.")
  return {
    text,
    template: {
      name: template.name,
      language: template.language,
      components: sendComponents(template.components, values, template.parameterFormat === 'NAMED'),
    },
  }
}

/** The business account of a channel (undefined when it is not a WhatsApp channel with one): from the channel cache. */
export async function channelAccount(ctx: AppContext, channelId: string): Promise<string | undefined> {
  const channel = await cachedChannel(ctx, channelId)
  return channel?.row.kind === 'whatsapp' ? channel.runtime.config.businessAccountId : undefined
}

/**
 * Sends an approved template of the conversation's WhatsApp account, every placeholder filled: the text stored
 * is what the customer will read, and the send carries the values in the platform's components.
 */
export async function sendTemplate(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  conversationId: string,
  input: { templateId: string; values: Record<string, string>; clientKey: string },
): Promise<Message> {
  // Another team's conversation answers not found before anything about the template is said.
  const conversation = await findVisibleConversation(ctx, identity, conversationId)
  const prepared = await prepareTemplate(ctx, await channelAccount(ctx, conversation.channel.id), input.templateId, input.values)
  return queueTemplateReply(ctx, identity, actor, conversationId, { ...prepared, clientKey: input.clientKey })
}
