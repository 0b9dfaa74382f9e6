import { rooms, teamAudience, type Presence } from '@carebox/shared'
import type { AppContext } from '../context.js'
import { enqueueInTx } from '../queue/queue.js'
import { recordOnlineTime } from '../reports/online-time.js'
import { assignJobKey, assignTask } from './assign.task.js'

/**
 * Presence follows the consoles: offline with none open, away when every open one is idle (or the person said
 * "away"), online otherwise. Each change is stored (routing reads it), told to the person's teams, and, when
 * someone comes online, nudges their teams' auto-assignment.
 */
export async function refreshPresence(ctx: AppContext, userId: string): Promise<Presence | null> {
  const consoles = await ctx.realtime.consolesOf(userId)
  const user = await ctx.db.selectFrom('users').select(['presence', 'presenceAt', 'awayByChoice', 'active']).where('id', '=', userId).executeTakeFirst()
  if (!user) return null
  const presence: Presence = consoles.open === 0 || !user.active ? 'offline' : user.awayByChoice || consoles.active === 0 ? 'away' : 'online'
  if (presence === user.presence) return presence
  const now = ctx.clock.now()
  const teamIds = await ctx.db.transaction().execute(async (trx) => {
    // Only from the presence read above: a refresh that raced this one (another node, the status route) already
    // moved it, and its stretch online must not be counted twice.
    const moved = await trx
      .updateTable('users')
      .set({ presence, presenceAt: now })
      .where('id', '=', userId)
      .where('presence', '=', user.presence)
      .executeTakeFirst()
    if (moved.numUpdatedRows === 0n) return null
    // Leaving "online": the stretch counts as time online in the reports.
    if (user.presence === 'online' && user.presenceAt) await recordOnlineTime(trx, userId, user.presenceAt, now)
    const teams = await trx
      .selectFrom('teamMembers as m')
      .innerJoin('teams as t', 't.id', 'm.teamId')
      .select(['t.id', 't.autoAssign'])
      .where('m.userId', '=', userId)
      .execute()
    if (presence === 'online') {
      for (const team of teams) if (team.autoAssign) await enqueueInTx(trx, assignTask, { teamId: team.id }, { jobKey: assignJobKey(team.id) })
    }
    return teams.map((t) => t.id)
  })
  if (teamIds === null) return presence
  const audience = [...new Set([rooms.user(userId), ...teamIds.flatMap((id) => teamAudience(id))])]
  ctx.realtime.publish('presence.updated', audience, { userId, presence })
  return presence
}

/**
 * Refreshes one user's presence at a time, in order: a disconnect and a reconnect a moment apart must not be
 * stored in the opposite order.
 */
export function presenceRefresher(ctx: AppContext): (userId: string) => void {
  const chains = new Map<string, Promise<unknown>>()
  return (userId) => {
    const next = (chains.get(userId) ?? Promise.resolve())
      .then(() => refreshPresence(ctx, userId))
      .catch((error: unknown) => ctx.log.warn({ err: error, userId }, 'presence refresh failed'))
      .finally(() => {
        if (chains.get(userId) === next) chains.delete(userId)
      })
    chains.set(userId, next)
  }
}

export async function resetPresence(db: AppContext['db']): Promise<void> {
  await db.updateTable('users').set({ presence: 'offline' }).where('presence', '<>', 'offline').execute()
}
