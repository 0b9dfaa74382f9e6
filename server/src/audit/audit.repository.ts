import type { AuditEntry } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'

export interface AuditRecord {
  action: string
  actor: { userId: string | null; tokenId: string | null; ip: string | null; userAgent: string | null }
  target?: { type: string; id: string }
  details?: Record<string, unknown>
}

/** Appends to the audit log; pass the transaction that made the change, so both commit or neither. */
export async function recordAudit(db: Database, record: AuditRecord): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      action: record.action,
      actorUserId: record.actor.userId,
      actorTokenId: record.actor.tokenId,
      ip: record.actor.ip,
      userAgent: record.actor.userAgent,
      targetType: record.target?.type ?? null,
      targetId: record.target?.id ?? null,
      details: JSON.stringify(record.details ?? {}),
    })
    .execute()
}

/**
 * Newest first. The cursor is the last entry seen: paging continues from its exact (time, id), so entries
 * written in one transaction (which share a time) are neither skipped nor repeated.
 */
export async function listAudit(
  db: Database,
  query: { action?: string; cursor?: string; limit: number },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  let select = db
    .selectFrom('auditLog as a')
    .leftJoin('users as u', 'u.id', 'a.actorUserId')
    .leftJoin('apiTokens as t', 't.id', 'a.actorTokenId')
    .select([
      'a.id',
      'a.at',
      'a.action',
      'a.targetType',
      'a.targetId',
      'a.details',
      'a.ip',
      'a.userAgent',
      'a.actorUserId',
      'u.name as userName',
      'u.email as userEmail',
      'a.actorTokenId',
      't.name as tokenName',
    ])
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(query.limit + 1)
  if (query.action) select = select.where('a.action', '=', query.action)
  if (query.cursor) {
    select = select.where(sql<boolean>`(a.at, a.id) < (select c.at, c.id from audit_log c where c.id = ${query.cursor}::uuid)`)
  }
  const rows = await select.execute()
  const page = rows.slice(0, query.limit)
  return {
    items: page.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      action: row.action,
      actor:
        row.actorUserId && row.userName !== null
          ? { kind: 'user' as const, id: row.actorUserId, name: row.userName, email: row.userEmail ?? '' }
          : row.actorTokenId && row.tokenName !== null
            ? { kind: 'token' as const, id: row.actorTokenId, name: row.tokenName }
            : { kind: 'system' as const },
      targetType: row.targetType,
      targetId: row.targetId,
      details: row.details as Record<string, unknown>,
      ip: row.ip,
      userAgent: row.userAgent,
    })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  }
}
