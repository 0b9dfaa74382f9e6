import { isTeamlessWorker, noTeamRefusal, rooms, type IssuedLink, type PendingInvite, type Role, type User } from '@carebox/shared'
import type { FastifyRequest } from 'fastify'
import { recordAudit } from '../audit/audit.repository.js'
import { actorOf, identityOf } from '../auth/identity.js'
import { issueLink } from '../auth/links.service.js'
import { unusablePasswordHash } from '../auth/passwords.js'
import { deleteUserSessions } from '../auth/sessions.repository.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { enqueueLinkEmail } from '../mail/mail.service.js'
import { countOtherActiveAdmins, findUser, listUsers, setUserTeams, unknownTeamIds } from '../auth/users.repository.js'

async function requireUser(db: Database, id: string): Promise<User> {
  const user = await findUser(db, id)
  if (!user) throw new AppError('not_found', 'No such user.')
  return user
}

async function requireTeams(db: Database, teamIds: string[]): Promise<void> {
  const unknown = await unknownTeamIds(db, teamIds)
  if (unknown.length > 0) throw new AppError('validation_failed', `No such team: ${unknown.join(', ')}.`)
}

/** Someone's access changed or ended: their open consoles close, and reconnect with what they may see now. */
function endLiveConnections(ctx: AppContext, userId: string): void {
  ctx.realtime.disconnect(rooms.user(userId))
}

export async function listUsersAndInvites(ctx: AppContext): Promise<{ items: User[]; invites: PendingInvite[] }> {
  const invites = await ctx.db
    .selectFrom('authLinks')
    .select(['id', 'email', 'role', 'teamIds', 'expiresAt', 'createdAt'])
    .where('kind', '=', 'invite')
    .where('usedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', ctx.clock.now())
    .orderBy('createdAt', 'desc')
    .execute()
  return {
    items: await listUsers(ctx.db),
    invites: invites.map((row) => ({
      id: row.id,
      email: row.email,
      role: row.role as Role,
      teamIds: row.teamIds,
      expiresAt: row.expiresAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
    })),
  }
}

export async function inviteUser(
  ctx: AppContext,
  request: FastifyRequest,
  input: { email: string; role: Role; teamIds: string[]; confirmNoTeam?: boolean },
): Promise<{ invite: PendingInvite; link: IssuedLink }> {
  const email = input.email.trim().toLowerCase()
  const teamIds = [...new Set(input.teamIds)]
  if (isTeamlessWorker(input.role, teamIds) && input.confirmNoTeam !== true) throw new AppError('validation_failed', noTeamRefusal)
  return ctx.db.transaction().execute(async (trx) => {
    await requireTeams(trx, teamIds)
    if (await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) {
      throw new AppError('conflict', 'Someone with this email has an account already.')
    }
    const actor = actorOf(request)
    const issued = await issueLink(ctx, trx, { kind: 'invite', email, role: input.role, teamIds, createdBy: actor.userId })
    await recordAudit(trx, { action: 'user.invited', actor, target: { type: 'invite', id: issued.id }, details: { email, role: input.role, teamIds } })
    const emailedTo = await enqueueLinkEmail(ctx, trx, { id: issued.id, url: issued.link.url, email })
    return {
      invite: { id: issued.id, email, role: input.role, teamIds, expiresAt: issued.expiresAt.toISOString(), createdAt: issued.createdAt.toISOString() },
      link: { ...issued.link, ...(emailedTo !== null && { emailedTo }) },
    }
  })
}

export async function revokeInvite(ctx: AppContext, request: FastifyRequest, id: string): Promise<{ ok: true }> {
  const revoked = await ctx.db
    .updateTable('authLinks')
    .set({ revokedAt: ctx.clock.now() })
    .where('id', '=', id)
    .where('kind', '=', 'invite')
    .where('usedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .returning('email')
    .executeTakeFirst()
  if (!revoked) throw new AppError('not_found', 'No such pending invitation.')
  await recordAudit(ctx.db, { action: 'user.invite_revoked', actor: actorOf(request), target: { type: 'invite', id }, details: { email: revoked.email } })
  return { ok: true }
}

export async function updateUser(
  ctx: AppContext,
  request: FastifyRequest,
  id: string,
  input: { name?: string; role?: Role; teamIds?: string[]; confirmNoTeam?: boolean },
): Promise<User> {
  const updated = await ctx.db.transaction().execute(async (trx) => {
    // Locks the admins' rows: two admins demoting each other at once cannot both succeed.
    await trx.selectFrom('users').select('id').where('role', '=', 'admin').forUpdate().execute()
    const before = await requireUser(trx, id)
    const actor = actorOf(request)
    // Asked only when this change is what leaves them without a team: renaming someone already teamless is not.
    const becomesTeamless = isTeamlessWorker(input.role ?? before.role, input.teamIds ?? before.teamIds) && !isTeamlessWorker(before.role, before.teamIds)
    if (becomesTeamless && input.confirmNoTeam !== true) throw new AppError('validation_failed', noTeamRefusal)
    if (input.role !== undefined && input.role !== before.role) {
      if (before.role === 'admin' && (await countOtherActiveAdmins(trx, id)) === 0) {
        throw new AppError('conflict', 'Carebox needs at least one active admin: make someone else admin first.')
      }
      await trx.updateTable('users').set({ role: input.role, updatedAt: ctx.clock.now() }).where('id', '=', id).execute()
      await recordAudit(trx, { action: 'user.role_changed', actor, target: { type: 'user', id }, details: { from: before.role, to: input.role } })
    }
    if (input.teamIds !== undefined) {
      const teamIds = [...new Set(input.teamIds)]
      await requireTeams(trx, teamIds)
      await setUserTeams(trx, id, teamIds)
      await recordAudit(trx, { action: 'user.teams_changed', actor, target: { type: 'user', id }, details: { from: before.teamIds, to: teamIds } })
    }
    if (input.name !== undefined && input.name.trim() !== before.name) {
      await trx.updateTable('users').set({ name: input.name.trim(), updatedAt: ctx.clock.now() }).where('id', '=', id).execute()
      await recordAudit(trx, { action: 'user.renamed', actor, target: { type: 'user', id }, details: { from: before.name, to: input.name.trim() } })
    }
    return requireUser(trx, id)
  })
  endLiveConnections(ctx, id)
  return updated
}

export async function setUserActive(ctx: AppContext, request: FastifyRequest, id: string, active: boolean): Promise<User> {
  const identity = identityOf(request)
  if (!active && identity.kind === 'user' && identity.userId === id) {
    throw new AppError('conflict', 'You cannot deactivate yourself.')
  }
  const user = await ctx.db.transaction().execute(async (trx) => {
    await trx.selectFrom('users').select('id').where('role', '=', 'admin').forUpdate().execute()
    const before = await requireUser(trx, id)
    if (!active && before.role === 'admin' && (await countOtherActiveAdmins(trx, id)) === 0) {
      throw new AppError('conflict', 'Carebox needs at least one active admin.')
    }
    await trx
      .updateTable('users')
      .set({ active, deactivatedAt: active ? null : ctx.clock.now(), updatedAt: ctx.clock.now() })
      .where('id', '=', id)
      .execute()
    if (!active) await deleteUserSessions(trx, id)
    await recordAudit(trx, { action: active ? 'user.reactivated' : 'user.deactivated', actor: actorOf(request), target: { type: 'user', id } })
    return requireUser(trx, id)
  })
  if (!active) endLiveConnections(ctx, id)
  return user
}

export async function issuePasswordReset(ctx: AppContext, request: FastifyRequest, id: string): Promise<{ link: IssuedLink }> {
  const issued = await ctx.db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, id)
    const actor = actorOf(request)
    // Earlier reset links for this user stop working: only the newest one is out there.
    await trx
      .updateTable('authLinks')
      .set({ revokedAt: ctx.clock.now() })
      .where('userId', '=', id)
      .where('kind', '=', 'reset')
      .where('usedAt', 'is', null)
      .execute()
    const link = await issueLink(ctx, trx, { kind: 'reset', email: user.email, role: user.role, userId: id, createdBy: actor.userId })
    // A reset is often made because the password leaked: it stops working now, not when the link is used.
    await trx.updateTable('users').set({ passwordHash: unusablePasswordHash, updatedAt: ctx.clock.now() }).where('id', '=', id).execute()
    await deleteUserSessions(trx, id)
    await recordAudit(trx, { action: 'user.password_reset_issued', actor, target: { type: 'user', id } })
    const emailedTo = await enqueueLinkEmail(ctx, trx, { id: link.id, url: link.link.url, email: user.email })
    return { ...link.link, ...(emailedTo !== null && { emailedTo }) }
  })
  endLiveConnections(ctx, id)
  return { link: issued }
}
