import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import {
  teamAudience,
  ingestModesByKind,
  secretsByKind,
  type Channel,
  type ChannelCreate,
  type ChannelKind,
  type ChannelSecretsInput,
  type ChannelUpdate,
} from '@carebox/shared'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import { recordChanges } from '../changes/changes.repository.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { schedulePoll } from './poll.task.js'
import {
  countDeadLetters,
  findChannel,
  insertChannel,
  listChannels as listChannelRows,
  updateChannel as updateChannelRow,
  type ChannelRow,
} from './channels.repository.js'
import { publicBaseUrl } from '../config.js'
import { forgetChannel } from './channel-cache.js'
import { isMetaKind } from './channel-runtime.js'
import type { ChannelConfig } from './connector.js'

export function webhookPath(kind: string, channelId: string): string {
  return isMetaKind(kind) ? '/webhooks/meta' : `/webhooks/${kind}/${channelId}`
}

function toChannel(ctx: AppContext, row: ChannelRow, deadLetters: number): Channel {
  const config = row.config as unknown as ChannelConfig
  const secrets = ctx.secrets.open<Record<string, string | undefined>>(row.secretsCiphertext)
  return {
    id: row.id,
    kind: row.kind as ChannelKind,
    name: row.name,
    externalId: row.externalId,
    enabled: row.enabled,
    teamId: row.teamId,
    settings: {
      mode: config.mode,
      apiBaseUrl: config.apiBaseUrl,
      ...(config.pollIntervalMs !== undefined && { pollIntervalMs: config.pollIntervalMs }),
      ...(config.handle !== undefined && { handle: config.handle }),
      ...(config.businessAccountId !== undefined && { businessAccountId: config.businessAccountId }),
    },
    webhookUrl: config.mode === 'webhook' ? `${publicBaseUrl(ctx)}${webhookPath(row.kind, row.id)}` : null,
    verifyToken: isMetaKind(row.kind) ? row.verifyToken : null,
    secretsSet: Object.keys(secrets).filter((k) => secrets[k]),
    lastEventAt: row.lastEventAt?.toISOString() ?? null,
    lastPolledAt: row.lastPolledAt?.toISOString() ?? null,
    errorCount: row.errorCount,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
    deadLetterCount: deadLetters,
    sending: {
      consecutiveFailures: row.sendFailures,
      pausedUntil: row.sendPausedUntil?.toISOString() ?? null,
      reason: row.sendPauseReason,
    },
    createdAt: row.createdAt.toISOString(),
  }
}

/**
 * Channels of the given teams (all when null). Meta's verify token is for whoever configures the app: only
 * callers allowed to change channels see it.
 */
export async function listChannels(ctx: AppContext, teamIds: string[] | null, options = { withVerifyToken: true }): Promise<Channel[]> {
  const [rows, deadLetters] = await Promise.all([listChannelRows(ctx.db, teamIds), countDeadLetters(ctx.db)])
  return rows.map((row) => {
    const channel = toChannel(ctx, row, deadLetters.get(row.id) ?? 0)
    return options.withVerifyToken ? channel : { ...channel, verifyToken: null }
  })
}

export async function getChannel(ctx: AppContext, id: string): Promise<Channel> {
  const row = await findChannel(ctx.db, id)
  if (!row) throw new AppError('not_found', 'No such channel')
  const deadLetters = await countDeadLetters(ctx.db)
  return toChannel(ctx, row, deadLetters.get(row.id) ?? 0)
}

function checkSettings(kind: ChannelKind, settings: ChannelCreate['settings'], secrets: ChannelSecretsInput): void {
  if (!ingestModesByKind[kind].includes(settings.mode)) {
    throw new AppError('validation_failed', `${kind} channels support ${ingestModesByKind[kind].join(' or ')}, not ${settings.mode}`)
  }
  const allowed = new Set<string>(secretsByKind[kind])
  const foreign = Object.keys(secrets).filter((name) => !allowed.has(name))
  if (foreign.length > 0) throw new AppError('validation_failed', `${kind} channels take no ${foreign.join(', ')}`)
  // Telegram's webhook secret is only needed in webhook mode; every other listed secret is required.
  const required = secretsByKind[kind].filter((name) => !(kind === 'telegram' && name === 'webhookSecret' && settings.mode === 'polling'))
  const missing = required.filter((name) => !secrets[name])
  if (missing.length > 0) throw new AppError('validation_failed', `Missing ${missing.join(', ')} for a ${kind} channel`)
}

/** The team a channel belongs to when none is named: the oldest. */
async function resolveTeam(db: Database, teamId: string | undefined): Promise<string> {
  let query = db.selectFrom('teams').select('id').orderBy('createdAt').limit(1)
  if (teamId !== undefined) query = query.where('id', '=', teamId)
  const team = await query.executeTakeFirst()
  if (!team) throw new AppError('validation_failed', teamId ? 'No such team.' : 'Create a team first.')
  return team.id
}

type Actor = AuditRecord['actor']

export async function createChannel(ctx: AppContext, input: ChannelCreate, actor?: Actor): Promise<Channel> {
  checkSettings(input.kind, input.settings, input.secrets)
  const row = await ctx.db.transaction().execute(async (trx) => {
    const teamId = await resolveTeam(trx, input.teamId)
    const inserted = await insertChannel(trx, {
      teamId,
      kind: input.kind,
      name: input.name,
      externalId: input.externalId,
      enabled: input.enabled ?? true,
      config: JSON.stringify(input.settings),
      secretsCiphertext: ctx.secrets.seal(input.secrets),
      verifyToken: randomBytes(18).toString('base64url'),
    }).catch((error: { code?: string }) => {
      if (error.code === '23505') throw new AppError('conflict', `A ${input.kind} channel for ${input.externalId} already exists`)
      throw error
    })
    if (inserted.enabled && input.settings.mode === 'polling') await schedulePoll(trx, inserted.id, ctx.clock.now())
    if (actor) {
      await recordAudit(trx, {
        action: 'channel.created',
        actor,
        target: { type: 'channel', id: inserted.id },
        details: { kind: input.kind, name: input.name, externalId: input.externalId, teamId },
      })
    }
    return inserted
  })
  ctx.log.info({ channelId: row.id, kind: row.kind }, 'channel created')
  return toChannel(ctx, row, 0)
}

/**
 * A channel moved to another team takes its conversations along, except the ones a person moved to a team on
 * purpose (transferred): the new team works them from now on, and what follows a transfer follows (its SLA
 * calendar, its queue, its reports, both teams' consoles).
 */
async function moveConversations(trx: Database, channelId: string, fromTeamId: string, toTeamId: string, actor: Actor | undefined): Promise<void> {
  const moved = await trx
    .updateTable('conversations')
    .set({ teamId: toTeamId, updatedAt: sql`now()` })
    .where('channelId', '=', channelId)
    .where('transferred', '=', false)
    .returning('id')
    .execute()
  await recordChanges(
    trx,
    moved.map((row) => ({
      type: 'conversation.transferred' as const,
      conversationId: row.id,
      teamId: toTeamId,
      actor: actor?.userId ? { type: 'agent' as const, id: actor.userId } : { type: 'system' as const, id: 'channels' },
      data: { fromTeamId, toTeamId, reason: 'channel moved' },
    })),
  )
}

export async function updateChannel(ctx: AppContext, id: string, input: ChannelUpdate, actor?: Actor): Promise<Channel> {
  const { updated: row, previousTeamId } = await ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('channels').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    if (!current) throw new AppError('not_found', 'No such channel')
    const kind = current.kind as ChannelKind
    const settings = input.settings ?? (current.config as unknown as ChannelCreate['settings'])
    const secrets = { ...ctx.secrets.open<ChannelSecretsInput>(current.secretsCiphertext), ...input.secrets }
    checkSettings(kind, settings, secrets)
    const teamId = input.teamId === undefined ? undefined : await resolveTeam(trx, input.teamId)
    const updated = await updateChannelRow(trx, id, {
      ...(teamId !== undefined && { teamId }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.settings !== undefined && { config: JSON.stringify(input.settings) }),
      ...(input.secrets !== undefined && { secretsCiphertext: ctx.secrets.seal(secrets) }),
    })
    if (!updated) throw new AppError('not_found', 'No such channel')
    if (teamId !== undefined && teamId !== current.teamId) await moveConversations(trx, id, current.teamId, teamId, actor)
    const isPolling = (updated.config as unknown as ChannelConfig).mode === 'polling'
    if (updated.enabled && isPolling) await schedulePoll(trx, updated.id, ctx.clock.now())
    if (actor) {
      await recordAudit(trx, {
        action: 'channel.updated',
        actor,
        target: { type: 'channel', id },
        // Names of what changed; secrets' values never reach the log.
        details: {
          changed: Object.keys(input).filter((key) => key !== 'secrets'),
          ...(input.secrets && { secretsReplaced: Object.keys(input.secrets) }),
          ...(input.enabled !== undefined && { enabled: input.enabled }),
          ...(teamId !== undefined && teamId !== current.teamId && { teamFrom: current.teamId, teamTo: teamId }),
        },
      })
    }
    return { updated, previousTeamId: current.teamId }
  })
  forgetChannel(ctx, id)
  // Both teams hear of a move: the old one drops the channel, the new one gains it.
  ctx.realtime.publish('channel.updated', [...new Set([...teamAudience(previousTeamId), ...teamAudience(row.teamId)])], { channelId: id })
  return getChannel(ctx, row.id)
}
