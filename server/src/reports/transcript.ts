import { attachmentUrl } from '@carebox/shared'
import { sql } from 'kysely'
import type { Attachment } from '../channels/connector.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'

/** What the transcript's header says about the conversation. */
export interface TranscriptSubject {
  id: string
  status: string
  snoozedUntil: Date | null
  subject: string | null
  createdAt: Date
  channelName: string
  channelKind: string
  customerName: string | null
  customerHandle: string | null
  teamName: string | null
}

export async function findTranscriptSubject(db: Database, conversationId: string): Promise<TranscriptSubject> {
  const row = await db
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channelId')
    .innerJoin('contacts as ct', 'ct.id', 'c.contactId')
    .leftJoin('teams as t', (join) => join.on(sql<boolean>`t.id = c.team_id`))
    .select([
      'c.id',
      'c.status',
      'c.snoozedUntil',
      'c.subject',
      'c.createdAt',
      'ch.name as channelName',
      'ch.kind as channelKind',
      'ct.name as customerName',
      'ct.handle as customerHandle',
      't.name as teamName',
    ])
    .where('c.id', '=', conversationId)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', 'No such conversation.')
  return row
}

interface TranscriptMessage {
  id: string
  kind: string
  direction: string
  authorKind: string
  automated: boolean
  userName: string | null
  contactName: string | null
  contactHandle: string | null
  text: string
  attachments: unknown
  status: string
  error: string | null
  sentAt: Date
  editedAt: Date | null
  deletedAt: Date | null
  /** The sort key as Postgres writes it: a Date would drop the microseconds the next page starts after. */
  cursorSentAt: string
  cursorCreatedAt: string
}

interface Cursor {
  sentAt: string
  createdAt: string
  id: string
}

/** One page of the thread in the order the console shows it (sent_at, then created_at), after the cursor. */
function findTranscriptMessages(db: Database, conversationId: string, after: Cursor | null, limit: number): Promise<TranscriptMessage[]> {
  let query = db
    .selectFrom('messages as m')
    .leftJoin('users as u', 'u.id', 'm.authorUserId')
    .leftJoin('contacts as ct', 'ct.id', 'm.authorContactId')
    .select([
      'm.id',
      'm.kind',
      'm.direction',
      'm.authorKind',
      'm.automated',
      'u.name as userName',
      'ct.name as contactName',
      'ct.handle as contactHandle',
      'm.text',
      'm.attachments',
      'm.status',
      'm.error',
      'm.sentAt',
      'm.editedAt',
      'm.deletedAt',
      sql<string>`m.sent_at::text`.as('cursorSentAt'),
      sql<string>`m.created_at::text`.as('cursorCreatedAt'),
    ])
    .where('m.conversationId', '=', conversationId)
    .orderBy('m.sentAt')
    .orderBy('m.createdAt')
    .orderBy('m.id')
    .limit(limit)
  if (after) {
    query = query.where(sql<boolean>`(m.sent_at, m.created_at, m.id) > (${after.sentAt}::timestamptz, ${after.createdAt}::timestamptz, ${after.id}::uuid)`)
  }
  return query.execute()
}

/**
 * Customer text goes out as it came, HTML included (it is plain text), minus what could act on a terminal or
 * reorder what a reader sees: control characters and bidirectional overrides.
 */
function inert(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD')
}

/** A name on one line: a line break in a name must not start what looks like another entry. */
function oneLine(text: string): string {
  return inert(text).replace(/\s+/g, ' ').trim()
}

/** Every line of a body indented, so nothing a customer writes can pass for a header or another entry. */
function indented(text: string): string {
  return inert(text)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
}

function customerLabel(name: string | null, handle: string | null): string {
  const parts = [name && oneLine(name), handle && `@${oneLine(handle).replace(/^@/, '')}`].filter(Boolean)
  return parts.length > 0 ? parts.join(' ') : 'Customer'
}

function heading(message: TranscriptMessage): string {
  const person = message.userName ? oneLine(message.userName) : 'A teammate'
  const parts: string[] = []
  if (message.kind === 'event') parts.push('EVENT')
  else if (message.kind === 'note') parts.push(`PRIVATE NOTE by ${person} (teammates only, never sent to the customer)`)
  else if (message.direction === 'inbound') parts.push(`${customerLabel(message.contactName, message.contactHandle)} (customer)`)
  else if (message.automated) parts.push('Automated reply')
  else if (message.authorKind === 'platform') parts.push('Reply written on the platform')
  else parts.push(`Reply by ${person}`)
  if (message.kind === 'message' && message.direction === 'outbound') {
    if (message.status === 'failed') parts.push(`FAILED, not delivered${message.error ? `: ${oneLine(message.error)}` : ''}`)
    else if (message.status === 'queued') parts.push('not sent yet')
  }
  if (message.editedAt) parts.push(`edited ${message.editedAt.toISOString()}`)
  return `[${message.sentAt.toISOString()}] ${parts.join(' | ')}`
}

function attachmentLines(message: TranscriptMessage): string[] {
  const attachments = Array.isArray(message.attachments) ? (message.attachments as Attachment[]) : []
  return attachments.map((attachment, index) => {
    // A platform media id is no link: point at the copy Carebox serves to signed-in teammates.
    const link = attachment.url ?? (attachment.mediaId ? attachmentUrl(message.id, index) : null)
    const name = attachment.name ? ` ${oneLine(attachment.name)}` : ''
    return `    [attachment: ${oneLine(attachment.kind ?? 'file')}]${name}${link ? ` <${oneLine(link)}>` : ''}`
  })
}

function entry(message: TranscriptMessage): string {
  const lines = [heading(message)]
  if (message.deletedAt) {
    // As in the console: what the customer took back is not shown.
    lines.push(`    (This message was removed on the platform at ${message.deletedAt.toISOString()}.)`)
  } else {
    if (message.text) lines.push(indented(message.text))
    lines.push(...attachmentLines(message))
  }
  return `${lines.join('\n')}\n\n`
}

function header(subject: TranscriptSubject, exportedAt: Date): string {
  const status = subject.status === 'snoozed' && subject.snoozedUntil ? `snoozed until ${subject.snoozedUntil.toISOString()}` : subject.status
  const lines = [
    'Carebox conversation transcript',
    '',
    `Conversation: ${subject.id}`,
    `Channel: ${oneLine(subject.channelName)} (${subject.channelKind})`,
    `Customer: ${customerLabel(subject.customerName, subject.customerHandle)}`,
    `Team: ${subject.teamName ? oneLine(subject.teamName) : '(none)'}`,
    `Status: ${status}`,
    ...(subject.subject ? [`Subject: ${oneLine(subject.subject)}`] : []),
    `Started at: ${subject.createdAt.toISOString()}`,
    `Exported at: ${exportedAt.toISOString()}`,
    '',
    'Times are UTC (ISO 8601). Private notes and events are internal: the customer never saw them.',
    '',
    '----------------------------------------',
    '',
  ]
  return `${lines.join('\n')}\n`
}

/**
 * The transcript as text: the header, then every message, reply, private note and event in thread order, one
 * chunk per page, read as the client takes them so a long conversation never sits in memory whole.
 */
export async function* conversationTranscript(db: Database, subject: TranscriptSubject, exportedAt: Date, pageSize = 500): AsyncGenerator<string> {
  yield header(subject, exportedAt)
  let after: Cursor | null = null
  let count = 0
  for (;;) {
    const rows = await findTranscriptMessages(db, subject.id, after, pageSize)
    count += rows.length
    if (rows.length > 0) yield rows.map(entry).join('')
    if (rows.length < pageSize) break
    const last = rows[rows.length - 1] as TranscriptMessage
    after = { sentAt: last.cursorSentAt, createdAt: last.cursorCreatedAt, id: last.id }
  }
  yield `----------------------------------------\nEnd of transcript: ${count} ${count === 1 ? 'entry' : 'entries'}.\n`
}
