import type { TokenScope } from '@carebox/shared'
import type { Database } from '../db/client.js'
import type { Identity } from './identity.js'
import { hashSecret } from './secrets.js'

/** API tokens start with this, so a leaked one is recognisable (and secret scanners can find it). */
export const tokenPrefix = 'cbx_'

export async function findTokenIdentity(db: Database, secret: string, now: Date): Promise<Extract<Identity, { kind: 'token' }> | null> {
  if (!secret.startsWith(tokenPrefix)) return null
  const row = await db
    .selectFrom('apiTokens')
    .select(['id', 'name', 'scopes', 'teamIds', 'lastUsedAt'])
    .where('tokenHash', '=', hashSecret(secret))
    .where('revokedAt', 'is', null)
    .executeTakeFirst()
  if (!row) return null
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.updateTable('apiTokens').set({ lastUsedAt: now }).where('id', '=', row.id).execute()
  }
  return { kind: 'token', tokenId: row.id, name: row.name, scopes: row.scopes as TokenScope[], teamIds: row.teamIds }
}
