-- The durable inbox of raw platform payloads: written (with its ingest job) before a webhook is answered,
-- or before a polling cursor moves. A payload that cannot be processed stays here as a dead letter.
create table inbound_events (
  id uuid primary key default gen_random_uuid(),
  -- Arrival order: envelopes stored in one statement share received_at.
  seq bigint generated always as identity,
  channel_id uuid not null references channels (id) on delete cascade,
  dedupe_key text not null,
  source text not null check (source in ('webhook', 'poll')),
  -- json, not jsonb: stored and read back verbatim, without parsing into (and printing out of) binary form.
  payload json not null,
  status text not null default 'pending' check (status in ('pending', 'processed', 'dead')),
  attempts integer not null default 0,
  error text,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  constraint inbound_events_channel_id_dedupe_key_key unique (channel_id, dedupe_key)
);
create index inbound_events_dead_idx on inbound_events (channel_id, received_at desc) where status = 'dead';

-- Ingest jobs also take the oldest pending envelopes of their channel, so a backlog drains in large batches.
create index inbound_events_pending_idx on inbound_events (channel_id, seq) where status = 'pending';
