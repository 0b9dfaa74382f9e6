import type { Role } from '@carebox/shared'
import { recordAudit } from '../audit/audit.repository.js'
import type { AppContext } from '../context.js'
import { countUsers, insertUser } from './users.repository.js'
import { issueLink } from './links.service.js'
import { hashPassword } from './passwords.js'

const system = { userId: null, tokenId: null, ip: null, userAgent: null }

export const demoUsers: { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.carebox.test', name: 'Ada Admin', role: 'admin' },
  { email: 'lead@demo.carebox.test', name: 'Lee Lead', role: 'lead' },
  { email: 'agent@demo.carebox.test', name: 'Alex Agent', role: 'agent' },
]

/**
 * The demo users' password: derived from this installation's secret key, so it is the same at every start
 * (and can be printed every time) without being stored, and differs between installations.
 */
export function demoPassword(ctx: AppContext): string {
  return ctx.secrets.derive('demo users password').toString('base64url').slice(0, 16)
}

async function teamIdsForNewUsers(ctx: AppContext): Promise<string[]> {
  const first = await ctx.db.selectFrom('teams').select('id').orderBy('createdAt').limit(1).executeTakeFirst()
  return first ? [first.id] : []
}

/**
 * Makes sure someone can sign in, and says how: the admin named by CAREBOX_ADMIN_EMAIL / CAREBOX_ADMIN_PASSWORD
 * on an empty installation, the demo's users in demo mode, or else a single-use link to create the first admin.
 * Answers the lines to show the operator.
 */
export async function ensureSomeoneCanSignIn(ctx: AppContext): Promise<string[]> {
  const notices: string[] = []
  const teamIds = await teamIdsForNewUsers(ctx)
  const { adminEmail, adminPassword } = ctx.config
  if (adminEmail && adminPassword && (await countUsers(ctx.db)) === 0) {
    const email = adminEmail.trim().toLowerCase()
    const id = await insertUser(ctx.db, { email, name: 'Admin', role: 'admin', passwordHash: await hashPassword(adminPassword), teamIds })
    await recordAudit(ctx.db, { action: 'user.created_from_environment', actor: system, target: { type: 'user', id }, details: { email } })
    notices.push(`Admin ${email} created from CAREBOX_ADMIN_EMAIL; sign in with CAREBOX_ADMIN_PASSWORD.`)
  }
  if (ctx.config.demo) {
    const password = demoPassword(ctx)
    const existing = new Set((await ctx.db.selectFrom('users').select('email').execute()).map((row) => row.email))
    const missing = demoUsers.filter((user) => !existing.has(user.email))
    // Hashing costs tens of milliseconds: only when a demo user is still to be made, not at every start.
    const passwordHash = missing.length > 0 ? await hashPassword(password) : ''
    for (const user of missing) {
      const id = await insertUser(ctx.db, { ...user, passwordHash, teamIds })
      await recordAudit(ctx.db, {
        action: 'user.created_for_demo',
        actor: system,
        target: { type: 'user', id },
        details: { email: user.email, role: user.role },
      })
    }
    notices.push(`Demo sign-in (password ${password} for each):`, ...demoUsers.map((u) => `  ${u.role.padEnd(5)}  ${u.email}`))
  }
  if ((await countUsers(ctx.db)) === 0) {
    // One setup link at a time: a new start replaces the link the previous one printed.
    await ctx.db
      .updateTable('authLinks')
      .set({ revokedAt: ctx.clock.now() })
      .where('kind', '=', 'setup')
      .where('usedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .execute()
    const { link } = await issueLink(ctx, ctx.db, { kind: 'setup', email: 'admin@localhost', role: 'admin', teamIds, createdBy: null })
    notices.push(`No users yet. Create the first admin at ${link.url} (valid until ${link.expiresAt}).`)
  }
  return notices
}
