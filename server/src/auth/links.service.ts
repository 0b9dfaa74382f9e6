import { rooms, type IssuedLink, type LinkInfo, type LinkKind, type Role, type Session } from '@carebox/shared'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { recordAudit } from '../audit/audit.repository.js'
import { publicBaseUrl } from '../config.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { insertUser } from './users.repository.js'
import { actorOf } from './identity.js'
import { hashPassword } from './passwords.js'
import { idsOrNone } from './scope.js'
import { hashSecret, randomSecret } from './secrets.js'
import { startSession } from './session-cookie.js'
import { deleteUserSessions } from './sessions.repository.js'

const lifetimeMs: Record<LinkKind, number> = {
  invite: 7 * 24 * 60 * 60 * 1000,
  reset: 24 * 60 * 60 * 1000,
  setup: 24 * 60 * 60 * 1000,
}

export function linkUrl(ctx: AppContext, token: string): string {
  return `${publicBaseUrl(ctx)}/join/${token}`
}

/** Makes a single-use link; only its hash is stored, so the URL answered here is the only copy. */
export async function issueLink(
  ctx: AppContext,
  db: Database,
  input: { kind: LinkKind; email: string; role: Role; teamIds?: string[]; userId?: string; createdBy: string | null },
): Promise<{ id: string; link: IssuedLink; createdAt: Date; expiresAt: Date }> {
  const token = randomSecret()
  const expiresAt = new Date(ctx.clock.now().getTime() + lifetimeMs[input.kind])
  const row = await db
    .insertInto('authLinks')
    .values({
      tokenHash: hashSecret(token),
      kind: input.kind,
      email: input.email,
      role: input.role,
      teamIds: input.teamIds ?? [],
      userId: input.userId ?? null,
      createdBy: input.createdBy,
      createdAt: ctx.clock.now(),
      expiresAt,
    })
    .returning(['id', 'createdAt'])
    .executeTakeFirstOrThrow()
  return { id: row.id, createdAt: row.createdAt, expiresAt, link: { url: linkUrl(ctx, token), expiresAt: expiresAt.toISOString() } }
}

const unusable = () => new AppError('not_found', 'This link has expired or was already used. Ask an admin for a new one.')

async function findUsableLink(ctx: AppContext, db: Database, token: string, lock: boolean) {
  let query = db
    .selectFrom('authLinks')
    .selectAll()
    .where('tokenHash', '=', hashSecret(token))
    .where('usedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', ctx.clock.now())
  if (lock) query = query.forUpdate()
  const link = await query.executeTakeFirst()
  if (!link) throw unusable()
  return link
}

export async function describeLink(ctx: AppContext, token: string): Promise<LinkInfo> {
  const link = await findUsableLink(ctx, ctx.db, token, false)
  return { kind: link.kind as LinkKind, email: link.email, role: link.role as Role, expiresAt: link.expiresAt.toISOString() }
}

/** Uses a link, once: joins (invite, setup) or sets a new password (reset, which ends every other session). */
export async function acceptLink(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  input: { name?: string; password: string },
): Promise<Session> {
  // Hashing is the costly step (19 MiB, tens of ms): spend it only on a link that exists, so that made-up links
  // cannot keep the server hashing. The link is checked again, locked, below.
  await findUsableLink(ctx, ctx.db, token, false)
  const passwordHash = await hashPassword(input.password)
  return ctx.db.transaction().execute(async (trx) => {
    const link = await findUsableLink(ctx, trx, token, true)
    let userId: string
    if (link.kind === 'reset') {
      const user = link.userId ? await trx.selectFrom('users').select(['id', 'active']).where('id', '=', link.userId).executeTakeFirst() : undefined
      // A deactivated user's link would only make a session that cannot be used.
      if (!user?.active) throw unusable()
      userId = user.id
      await trx.updateTable('users').set({ passwordHash, updatedAt: ctx.clock.now() }).where('id', '=', userId).execute()
      await deleteUserSessions(trx, userId)
      ctx.realtime.disconnect(rooms.user(userId))
    } else {
      if (!input.name?.trim()) throw new AppError('validation_failed', 'Tell us your name.')
      const taken = await trx.selectFrom('users').select('id').where('email', '=', link.email).executeTakeFirst()
      if (taken) throw new AppError('conflict', 'An account with this email exists already: sign in instead.')
      const teamIds = (await trx.selectFrom('teams').select('id').where('id', 'in', idsOrNone(link.teamIds)).execute()).map((t) => t.id)
      userId = await insertUser(trx, { email: link.email, name: input.name.trim(), role: link.role as Role, passwordHash, teamIds })
    }
    await trx.updateTable('authLinks').set({ usedAt: ctx.clock.now() }).where('id', '=', link.id).execute()
    await recordAudit(trx, {
      action: link.kind === 'reset' ? 'user.password_reset_completed' : 'user.joined',
      actor: { ...actorOf(request), userId },
      target: { type: 'user', id: userId },
      details: { role: link.role, via: link.kind },
    })
    return startSession(ctx, trx, request, reply, userId)
  })
}
