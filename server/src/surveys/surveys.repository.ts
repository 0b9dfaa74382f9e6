import type { Survey } from '@carebox/shared'
import type { Selectable } from 'kysely'
import type { Database } from '../db/client.js'
import type { Surveys } from '../db/database.gen.js'

export type SurveyRow = Selectable<Surveys>

export function toSurvey(row: SurveyRow, showRating: boolean): Survey {
  return {
    id: row.id,
    status: row.status as Survey['status'],
    reason: row.reason,
    rating: showRating ? row.rating : null,
    comment: showRating ? row.comment : null,
    dueAt: row.dueAt.toISOString(),
    offeredAt: row.offeredAt?.toISOString() ?? null,
    answeredAt: row.answeredAt?.toISOString() ?? null,
  }
}

export async function findSurveyByToken(db: Database, token: string): Promise<SurveyRow | undefined> {
  return db.selectFrom('surveys').selectAll().where('token', '=', token).executeTakeFirst()
}

/** The conversation's newest survey: the one a typed rating or a comment can answer. */
export async function latestSurvey(db: Database, conversationId: string): Promise<SurveyRow | undefined> {
  return db.selectFrom('surveys').selectAll().where('conversationId', '=', conversationId).orderBy('createdAt', 'desc').limit(1).executeTakeFirst()
}

export async function surveysOf(db: Database, conversationId: string): Promise<SurveyRow[]> {
  return db.selectFrom('surveys').selectAll().where('conversationId', '=', conversationId).orderBy('createdAt', 'desc').execute()
}

/** What the offer needs: the survey, its conversation now, its channel and team. */
export async function findSurveyToOffer(db: Database, surveyId: string) {
  return db
    .selectFrom('surveys as s')
    .innerJoin('conversations as c', 'c.id', 's.conversationId')
    .innerJoin('channels as ch', 'ch.id', 'c.channelId')
    .innerJoin('conversationResolutions as r', 'r.id', 's.resolutionId')
    .select([
      's.id',
      's.status',
      's.token',
      's.conversationId',
      'r.resolvedAt',
      'c.status as conversationStatus',
      'c.kind as conversationKind',
      'c.teamId',
      'c.language',
      'c.lastInboundAt',
      'c.resolvedAt as conversationResolvedAt',
      'ch.id as channelId',
      'ch.kind as channelKind',
      'ch.name as channelName',
      'ch.enabled as channelEnabled',
    ])
    .where('s.id', '=', surveyId)
    .executeTakeFirst()
}

/**
 * The person the customer talked to in the cycle: the last reply written by a person before the resolve, and after
 * the resolve before it (an earlier cycle's agent is not this one's).
 */
export async function lastHumanReplier(db: Database, conversationId: string, before: Date): Promise<string | null> {
  const previous = await db
    .selectFrom('conversationResolutions')
    .select('resolvedAt')
    .where('conversationId', '=', conversationId)
    .where('resolvedAt', '<', before)
    .orderBy('resolvedAt', 'desc')
    .limit(1)
    .executeTakeFirst()
  const row = await db
    .selectFrom('messages')
    .select('authorUserId')
    .where('conversationId', '=', conversationId)
    .$if(previous !== undefined, (q) => q.where('sentAt', '>', previous!.resolvedAt))
    .where('direction', '=', 'outbound')
    .where('kind', '=', 'message')
    .where('automated', '=', false)
    .where('authorUserId', 'is not', null)
    .where('sentAt', '<=', before)
    .orderBy('sentAt', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.authorUserId ?? null
}
