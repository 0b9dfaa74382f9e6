-- Sentiment of customers' messages (docs/metrics.md, "Customer satisfaction and sentiment"): the offline model's
-- label, written at ingest (null on our own messages, notes and events), and a person's label, which wins in every
-- figure, with who set it and when (each change is also in the audit log, from → to).
alter table messages
  add column sentiment text,
  add column sentiment_override text,
  add column sentiment_set_by uuid references users (id) on delete set null,
  add column sentiment_set_at timestamptz;

-- Every existing row is null in these columns: nothing to check, so no scan of messages under the lock.
alter table messages
  add constraint messages_sentiment_check check (sentiment in ('negative', 'neutral', 'positive', 'unknown')) not valid,
  add constraint messages_sentiment_override_check check (sentiment_override in ('negative', 'neutral', 'positive')) not valid,
  add constraint messages_sentiment_set_check check ((sentiment_override is null) = (sentiment_set_at is null)) not valid;

-- Rows from before this migration have no model label: readers compute it from the text when they need it
-- (server/src/sentiment/effective-sentiment.ts), and `pnpm rollups:rebuild` recounts past reports with it.
