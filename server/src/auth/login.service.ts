import type { Session } from '@carebox/shared'
import type { FastifyReply, FastifyRequest } from 'fastify'
import ipaddr from 'ipaddr.js'
import { sql } from 'kysely'
import { recordAudit } from '../audit/audit.repository.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { findUserForLogin } from './users.repository.js'
import { actorOf } from './identity.js'
import { verifyAgainstDecoy, verifyPassword } from './passwords.js'
import { startSession } from './session-cookie.js'

/** Failed sign-ins allowed per email, and per address, within the window, before sign-in is refused. */
export const loginLimits = { perEmail: 5, perIp: 20, windowMs: 15 * 60 * 1000 }

/**
 * Whom the per-address limit counts: an IPv4 address, or an IPv6 /64 (one subscriber's network, in which they
 * can take any address they like).
 */
export function addressGroup(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip
  const address = ipaddr.process(ip)
  if (address.kind() === 'ipv4') return address.toString()
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16))
  return `${parts.join(':')}::/64`
}

const wrongCredentials = () => new AppError('unauthorized', 'Email or password is wrong.')

/**
 * Signs in by email and password. Every failure looks the same from outside, whether the email is unknown,
 * the account deactivated, or the password wrong: same answer, and the same time spent hashing. Failures are
 * counted per email (known or not, so the lockout does not reveal which exist) and per address.
 */
export async function login(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, input: { email: string; password: string }): Promise<Session> {
  const email = input.email.trim().toLowerCase()
  const now = ctx.clock.now()
  const since = new Date(now.getTime() - loginLimits.windowMs)
  // The attempt is recorded as a failure before the password is checked, and only then are failures counted: a
  // burst of simultaneous guesses each count the others, so no burst gets more checks than the limit allows.
  const source = addressGroup(request.ip)
  const attempt = await ctx.db.insertInto('loginFailures').values({ email, ip: source, at: now }).returning('id').executeTakeFirstOrThrow()
  const counts = await ctx.db
    .selectFrom('loginFailures')
    .select([sql<number>`count(*) filter (where email = ${email})::int`.as('byEmail'), sql<number>`count(*) filter (where ip = ${source})::int`.as('byIp')])
    .where('at', '>', since)
    .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', source)]))
    .executeTakeFirstOrThrow()
  const actor = actorOf(request)
  if (counts.byEmail > loginLimits.perEmail || counts.byIp > loginLimits.perIp) {
    // A refused attempt checked nothing, so it is not a failure: the lock still ends a window after the last one.
    await ctx.db.deleteFrom('loginFailures').where('id', '=', attempt.id).execute()
    await recordAudit(ctx.db, { action: 'auth.login_throttled', actor, details: { email } })
    throw new AppError('rate_limited', 'Too many failed sign-in attempts. Wait 15 minutes, or ask an admin to reset your password.')
  }
  const user = await findUserForLogin(ctx.db, email)
  const isValid = user ? (await verifyPassword(user.passwordHash, input.password)) && user.active : await verifyAgainstDecoy(input.password)
  if (!user || !isValid) {
    await recordAudit(ctx.db, { action: 'auth.login_failed', actor, details: { email } })
    throw wrongCredentials()
  }
  return ctx.db.transaction().execute(async (trx) => {
    // This attempt's own row goes with the email's earlier failures.
    await trx
      .deleteFrom('loginFailures')
      .where((eb) => eb.or([eb('email', '=', email), eb('at', '<', new Date(now.getTime() - 24 * 60 * 60 * 1000))]))
      .execute()
    const session = await startSession(ctx, trx, request, reply, user.id)
    await recordAudit(trx, { action: 'auth.login', actor: { ...actor, userId: user.id }, target: { type: 'user', id: user.id } })
    return session
  })
}
