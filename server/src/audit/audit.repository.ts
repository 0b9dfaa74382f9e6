import type { AuditEntry } from '@carebox/shared'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'

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
 * As a Date rather than a ::timestamptz cast: the date-time format lets through year 0000, which PostgreSQL
 * refuses (a 500), and a leap second, which no Date holds.
 */
function parseBefore(before: string): Date {
  const at = new Date(before)
  if (Number.isNaN(at.getTime())) throw new AppError('validation_failed', 'before must be a date and time.')
  return at
}

export async function listAudit(db: Database, query: { action?: string; before?: string; limit: number }): Promise<{ items: AuditEntry[]; nextBefore: string | null }> {
  let select = db
    .selectFrom('auditLog as a')
    .leftJoin('users as u', 'u.id', 'a.actorUserId')
    .leftJoin('apiTokens as t', 't.id', 'a.actorTokenId')
    .select([
      'a.id', 'a.at', 'a.action', 'a.targetType', 'a.targetId', 'a.details', 'a.ip', 'a.userAgent',
      'a.actorUserId', 'u.name as userName', 'u.email as userEmail', 'a.actorTokenId', 't.name as tokenName',
    ])
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(query.limit + 1)
  if (query.action) select = select.where('a.action', '=', query.action)
  if (query.before) select = select.where('a.at', '<', parseBefore(query.before))
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
    nextBefore: rows.length > query.limit ? (page.at(-1)?.at.toISOString() ?? null) : null,
  }
}
