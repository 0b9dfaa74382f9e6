import { auditActionLabel, auditActionLabels, type AuditEntry, type AuditFacets } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { auditTargetName } from './audit-targets.js'

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

export interface AuditQuery {
  action?: string
  /** A person's or a token's id, or 'system' for entries with neither. */
  actor?: string
  q?: string
  from?: string
  to?: string
  cursor?: string
  limit: number
}

/**
 * Newest first. The cursor is the last entry seen: paging continues from its exact (time, id), so entries
 * written in one transaction (which share a time) are neither skipped nor repeated. Names are looked up as the log
 * is read (auditTargetName), so an entry shows a channel's or a person's name as it is now.
 */
export async function listAudit(db: Database, query: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
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
      auditTargetName.as('targetName'),
    ])
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(query.limit + 1)
  if (query.action) select = select.where('a.action', '=', query.action)
  if (query.actor === 'system') select = select.where('a.actorUserId', 'is', null).where('a.actorTokenId', 'is', null)
  else if (query.actor) {
    const actor = query.actor
    select = select.where((eb) => eb.or([eb('a.actorUserId', '=', actor), eb('a.actorTokenId', '=', actor)]))
  }
  if (query.from) select = select.where('a.at', '>=', new Date(query.from))
  if (query.to) select = select.where('a.at', '<', new Date(query.to))
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    // Labels live in code, not in the table: the actions whose label holds the words are looked for by code.
    const labelled = Object.entries(auditActionLabels)
      .filter(([, label]) => label.toLowerCase().includes(query.q!.toLowerCase()))
      .map(([action]) => action)
    select = select.where(
      sql<boolean>`(a.action ilike ${pattern} or a.target_type ilike ${pattern} or a.target_id ilike ${pattern}
        or ${auditTargetName} ilike ${pattern} or a.action = any(${labelled}::text[]))`,
    )
  }
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
      actionLabel: auditActionLabel(row.action),
      actor:
        row.actorUserId && row.userName !== null
          ? { kind: 'user' as const, id: row.actorUserId, name: row.userName, email: row.userEmail ?? '' }
          : row.actorTokenId && row.tokenName !== null
            ? { kind: 'token' as const, id: row.actorTokenId, name: row.tokenName }
            : { kind: 'system' as const },
      targetType: row.targetType,
      targetId: row.targetId,
      targetName: row.targetName,
      details: row.details as Record<string, unknown>,
      ip: row.ip,
      userAgent: row.userAgent,
    })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  }
}

/** Every person and API token (former ones too: they may have acted), and every action known or recorded. */
export async function listAuditFacets(db: Database): Promise<AuditFacets> {
  const [users, tokens, recorded] = await Promise.all([
    db.selectFrom('users').select(['id', 'name', 'email']).orderBy('name').orderBy('email').execute(),
    db.selectFrom('apiTokens').select(['id', 'name']).orderBy('name').orderBy('id').execute(),
    // The distinct actions, one index probe each (audit_log_action_at_idx) rather than a scan of the whole log.
    sql<{ action: string }>`
      with recursive actions as (
        (select action from audit_log order by action limit 1)
        union all
        select (select a.action from audit_log a where a.action > actions.action order by a.action limit 1)
        from actions where actions.action is not null
      )
      select action from actions where action is not null`.execute(db),
  ])
  const actions = [...new Set([...Object.keys(auditActionLabels), ...recorded.rows.map((row) => row.action)])]
    .map((action) => ({ action, label: auditActionLabel(action) }))
    .sort((a, b) => a.label.localeCompare(b.label))
  return {
    actors: [
      ...users.map((user) => ({ kind: 'user' as const, id: user.id, name: user.name, email: user.email })),
      ...tokens.map((token) => ({ kind: 'token' as const, id: token.id, name: token.name })),
    ],
    actions,
  }
}
