import { reportExportColumns } from '@carebox/shared'
import { sql } from 'kysely'
import { idsOrNone } from '../auth/scope.js'
import type { Database } from '../db/client.js'
import type { ReportScope } from './report-scope.js'

/**
 * A cell a spreadsheet would read as a formula: OWASP's CSV injection list (=, +, -, @, tab, carriage return).
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
const formulaStart = /^[=+\-@\t\r]/

/** Text someone else wrote (names, tags) made inert: a leading quote makes a spreadsheet show it as text. */
export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text
}

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
export function quoteField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field
}

/**
 * A cell is either text from outside (neutralised, then quoted) or a value we write ourselves (ids, times,
 * numbers: quoted only if need be, never prefixed, so a number stays a number). Null is an empty cell.
 */
export type CsvCell = { text: string | null } | string | number | boolean | null

export function csvCell(cell: CsvCell): string {
  if (cell === null) return ''
  if (typeof cell === 'object') return cell.text === null ? '' : quoteField(neutraliseFormula(cell.text))
  return quoteField(String(cell))
}

/** One record, CRLF-terminated as RFC 4180 has it. */
export function csvLine(cells: CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

interface CycleRow {
  conversationId: string
  cycle: number
  channelName: string | null
  teamName: string | null
  agentName: string | null
  tags: string[]
  startedAt: Date
  firstResponseAt: Date | null
  firstResponseSeconds: number | null
  firstResponseBusinessSeconds: number | null
  resolvedAt: Date | null
  resolutionSeconds: number | null
  resolutionBusinessSeconds: number | null
  handleSeconds: number | null
  customerMessages: number
  answeredMessages: number
  replies: number
  reopened: boolean
  slaAchieved: number
  slaBreached: number
  /** The cycle's satisfaction survey, answered. */
  rating: number | null
  comment: string | null
  /** started_at as Postgres writes it: a Date would drop the microseconds the next page starts after. */
  cursorAt: string
}

const iso = (at: Date | null) => at?.toISOString() ?? null

function toCells(row: CycleRow): Record<(typeof reportExportColumns)[number], CsvCell> {
  return {
    conversation_id: row.conversationId,
    cycle: row.cycle,
    channel: { text: row.channelName },
    team: { text: row.teamName },
    agent: { text: row.agentName },
    tags: { text: row.tags.length > 0 ? row.tags.join(' ') : null },
    started_at: iso(row.startedAt),
    first_response_at: iso(row.firstResponseAt),
    first_response_seconds: row.firstResponseSeconds,
    first_response_business_seconds: row.firstResponseBusinessSeconds,
    resolved_at: iso(row.resolvedAt),
    resolution_seconds: row.resolutionSeconds,
    resolution_business_seconds: row.resolutionBusinessSeconds,
    handle_seconds: row.handleSeconds,
    customer_messages: row.customerMessages,
    answered_messages: row.answeredMessages,
    replies: row.replies,
    reopened: row.reopened,
    sla_achieved: row.slaAchieved,
    sla_breached: row.slaBreached,
    satisfaction_rating: row.rating,
    satisfaction_comment: { text: row.comment },
  }
}

interface Cursor {
  at: string
  conversationId: string
  cycle: number
}

const cycleSurvey = sql`(select s from surveys s join conversation_resolutions r on r.id = s.resolution_id
  where r.conversation_id = rc.conversation_id and r.resolved_at = rc.resolved_at order by s.created_at desc limit 1)`

/** One page of the scope's cycles, in export order, after the cursor. */
function findCycles(db: Database, scope: ReportScope, after: Cursor | null, limit: number): Promise<CycleRow[]> {
  let query = db
    .selectFrom('reportCycles as rc')
    // Names may be gone (a team deleted, a teammate removed): the row stays, the cell is empty.
    .leftJoin('channels as ch', 'ch.id', 'rc.channelId')
    .leftJoin('teams as t', 't.id', 'rc.teamId')
    .leftJoin('users as u', 'u.id', 'rc.agentId')
    .select([
      // The cycle's survey: the one of the resolve that ended it (a subquery: never a second row for a cycle).
      sql<number | null>`(${cycleSurvey}.rating)`.as('rating'),
      sql<string | null>`(${cycleSurvey}.comment)`.as('comment'),
      'rc.conversationId',
      'rc.cycle',
      'ch.name as channelName',
      't.name as teamName',
      'u.name as agentName',
      'rc.tags',
      'rc.startedAt',
      'rc.firstResponseAt',
      'rc.firstResponseSeconds',
      'rc.firstResponseBusinessSeconds',
      'rc.resolvedAt',
      'rc.resolutionSeconds',
      'rc.resolutionBusinessSeconds',
      'rc.handleSeconds',
      'rc.customerMessages',
      'rc.answeredMessages',
      'rc.replies',
      'rc.reopened',
      'rc.slaAchieved',
      'rc.slaBreached',
      sql<string>`rc.started_at::text`.as('cursorAt'),
    ])
    .where('rc.teamId', 'in', idsOrNone(scope.teamIds))
    .where('rc.startedAt', '>=', scope.period.from)
    .where('rc.startedAt', '<', scope.period.to)
    .orderBy('rc.startedAt')
    .orderBy('rc.conversationId')
    .orderBy('rc.cycle')
    .limit(limit)
  if (scope.channelId) query = query.where('rc.channelId', '=', scope.channelId)
  if (scope.agentId) query = query.where('rc.agentId', '=', scope.agentId)
  if (scope.tag) query = query.where(sql<boolean>`${scope.tag} = any(rc.tags)`)
  if (after) {
    query = query.where(
      sql<boolean>`(rc.started_at, rc.conversation_id, rc.cycle) > (${after.at}::timestamptz, ${after.conversationId}::uuid, ${after.cycle}::int)`,
    )
  }
  return query.execute()
}

/**
 * The export as CSV text, header first, one chunk per page of cycles. Pages are read by keyset one at a time
 * as the client takes them (no connection is held between pages, however slow the download), so memory stays
 * at one page whatever the period. A conversation changing mid-export shows as it was when its page was read.
 */
export async function* exportCyclesCsv(db: Database, scope: ReportScope, pageSize = 1000): AsyncGenerator<string> {
  yield csvLine([...reportExportColumns])
  let after: Cursor | null = null
  for (;;) {
    const rows = await findCycles(db, scope, after, pageSize)
    if (rows.length === 0) return
    yield rows
      .map((row) => {
        const cells = toCells(row)
        return csvLine(reportExportColumns.map((column) => cells[column]))
      })
      .join('')
    if (rows.length < pageSize) return
    const last = rows[rows.length - 1] as CycleRow
    after = { at: last.cursorAt, conversationId: last.conversationId, cycle: last.cycle }
  }
}
