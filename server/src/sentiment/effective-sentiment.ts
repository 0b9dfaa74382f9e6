import type { MessageSentiment, SentimentLabel } from '@carebox/shared'
import { sql, type RawBuilder } from 'kysely'
import { sentimentOf } from './sentiment.js'

/** The two labels a customer's message may carry, as stored (migrations/0024_sentiment.sql). */
export interface StoredSentiment {
  /** A person's label: wins everywhere. */
  override?: string | null
  /** The model's, computed at ingest. */
  model?: string | null
  text: string
  language: string | null
}

/**
 * The label that counts (docs/metrics.md): a person's, else the model's. A message stored before labels were (or
 * by a path that did not label it) is read by the model now, the same way ingest would have read it.
 */
export function effectiveSentiment(row: StoredSentiment): SentimentLabel {
  return (row.override ?? row.model ?? sentimentOf(row.text, row.language)) as SentimentLabel
}

/** What the API shows of a message's sentiment: customers' messages only. */
export function messageSentiment(row: StoredSentiment & { direction: string; kind: string }): MessageSentiment | undefined {
  if (row.direction !== 'inbound' || row.kind !== 'message') return undefined
  return { label: effectiveSentiment(row), by: row.override ? 'person' : 'model' }
}

/**
 * The effective label of a conversation's latest customer message, for a query over conversations (`alias` is the
 * conversations table's name there). One step back along messages_conversation_id_sent_at_idx per conversation;
 * null before any customer message, or when the latest predates labels.
 */
export function latestCustomerSentiment(alias: string): RawBuilder<SentimentLabel | null> {
  return sql<SentimentLabel | null>`(select coalesce(lm.sentiment_override, lm.sentiment) from messages lm
    where lm.conversation_id = ${sql.ref(`${alias}.id`)} and lm.direction = 'inbound' and lm.kind = 'message' and lm.deleted_at is null
    order by lm.sent_at desc, lm.id desc limit 1)`
}
