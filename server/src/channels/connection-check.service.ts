import {
  secretsByKind,
  type ChannelKind,
  type ConnectionCheck,
  type ConnectionCheckInput,
  type SavedConnectionCheckInput,
  type WebhookRegistration,
} from '@carebox/shared'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { refusedApiAddress } from './api-address.js'
import { toRuntime } from './channel-runtime.js'
import { findChannel } from './channels.repository.js'
import { webhookPath } from './channels.service.js'
import { ConnectionProblem, unreachableWords } from './connection-check.js'
import { ConnectorError, type ChannelRuntime, type ConnectedAccount } from './connector.js'
import { connectors } from './connectors.js'
import { publicBaseUrl } from '../config.js'

/**
 * "Test connection" and "Register webhook" (Settings → Channels). A platform's refusal is an answer, not a failure
 * of Carebox: it comes back as `failed` with the reason in plain words, never as an error status.
 */

/** A channel not saved yet: the form's values, as the connector would see them once saved. */
export async function checkConnection(ctx: AppContext, input: ConnectionCheckInput): Promise<ConnectionCheck> {
  const foreign = Object.keys(input.secrets).filter((name) => !(secretsByKind[input.kind] as readonly string[]).includes(name))
  if (foreign.length > 0) throw new AppError('validation_failed', `${input.kind} channels take no ${foreign.join(', ')}`)
  const runtime: ChannelRuntime = {
    id: 'connection-check',
    kind: input.kind,
    externalId: input.externalId?.trim() ?? '',
    config: input.settings,
    secrets: input.secrets,
  }
  return runCheck(ctx, runtime)
}

/** A saved channel, with whatever the edit form holds (not saved yet) over its stored settings and secrets. */
export async function checkSavedConnection(ctx: AppContext, id: string, input: SavedConnectionCheckInput): Promise<ConnectionCheck> {
  const row = await findChannel(ctx.db, id)
  if (!row) throw new AppError('not_found', 'No such channel')
  const stored = toRuntime(ctx, row)
  const typed = Object.fromEntries(Object.entries(input.secrets ?? {}).filter(([, value]) => value))
  const config = input.settings ?? stored.config
  // Stored secrets only ever go to the address they were saved for: a check against another API base URL uses only
  // what was typed, so the form cannot send a saved token anywhere else.
  const sameOrigin = originOf(config.apiBaseUrl) === originOf(stored.config.apiBaseUrl)
  const runtime: ChannelRuntime = { ...stored, config, secrets: sameOrigin ? { ...stored.secrets, ...typed } : typed }
  return runCheck(ctx, runtime)
}

function originOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null
  } catch {
    return null
  }
}

async function runCheck(ctx: AppContext, channel: ChannelRuntime): Promise<ConnectionCheck> {
  let account: ConnectedAccount
  // A platform API is never on a link-local, multicast or metadata address: refused before any request, so the check
  // cannot be used to read what answers there.
  const refused = channel.config.apiBaseUrl ? await refusedApiAddress(channel.config.apiBaseUrl) : null
  if (refused) return { status: 'failed', error: `The API base URL cannot be used: ${refused}.` }
  try {
    account = await connectors[channel.kind].checkConnection(channel)
  } catch (error) {
    return { status: 'failed', error: failureWords(ctx, error, channel) }
  }
  return {
    status: 'connected',
    account: { id: account.id, name: account.name ?? null, handle: account.handle ?? null, summary: account.summary },
    warnings: warningsFor(channel, account),
  }
}

/** What still looks wrong although the platform took the credentials. */
function warningsFor(channel: ChannelRuntime, account: ConnectedAccount): string[] {
  const warnings: string[] = []
  const formId = channel.externalId.trim()
  if (formId && formId !== account.id) {
    warnings.push(
      `The platform says these credentials belong to id ${account.id}, but the channel's id is ${formId}: ` +
        'messages would not be matched to this channel. Use the id the platform gave.',
    )
  }
  const handle = channel.config.handle?.trim().replace(/^@/, '').toLowerCase()
  const found = account.handle?.replace(/^@/, '').toLowerCase()
  if (handle && found && !sameHandle(channel.kind, handle, found)) {
    warnings.push(`The channel's handle is ${channel.config.handle}, but the platform says the account is @${account.handle}.`)
  }
  return warnings
}

/** Mastodon handles may be given with or without the instance (`care` or `care@social.example`). */
function sameHandle(kind: ChannelKind, given: string, found: string): boolean {
  if (kind !== 'mastodon') return given === found
  return given === found || given === found.split('@')[0] || given.split('@')[0] === found
}

function failureWords(ctx: AppContext, error: unknown, channel: ChannelRuntime): string {
  if (error instanceof ConnectionProblem) return error.message
  if (error instanceof ConnectorError) return unreachableWords(error, channel.config.apiBaseUrl)
  ctx.log.error({ err: error, kind: channel.kind }, 'connection check failed unexpectedly')
  return 'The check failed inside Carebox; the server log has the details.'
}

/** Points the platform at the channel's webhook URL, where Carebox can (Telegram setWebhook, Meta subscribed_apps). */
export async function registerWebhook(ctx: AppContext, id: string, actor: AuditRecord['actor']): Promise<WebhookRegistration> {
  const row = await findChannel(ctx.db, id)
  if (!row) throw new AppError('not_found', 'No such channel')
  const channel = toRuntime(ctx, row)
  const connector = connectors[channel.kind]
  if (channel.config.mode !== 'webhook') {
    throw new AppError('validation_failed', 'This channel polls the platform: there is no webhook to register.')
  }
  if (!connector.registerWebhook) {
    throw new AppError('validation_failed', 'Carebox cannot register this platform’s webhook itself: set it up in the platform’s developer settings.')
  }
  const url = `${publicBaseUrl(ctx)}${webhookPath(row.kind, row.id)}`
  const refused = channel.config.apiBaseUrl ? await refusedApiAddress(channel.config.apiBaseUrl) : null
  if (refused) return { status: 'failed', message: `The API base URL cannot be used: ${refused}.` }
  try {
    const message = await connector.registerWebhook(url, channel)
    // Where the platform now sends this channel's traffic is a change an admin will want to trace.
    await recordAudit(ctx.db, { action: 'channel.webhook_registered', actor, target: { type: 'channel', id }, details: { url } })
    return { status: 'registered', message }
  } catch (error) {
    return { status: 'failed', message: failureWords(ctx, error, channel) }
  }
}
