-- The live event stream: the catalogue's events in the order the `stream` consumer saw them commit. A stream
-- client resumes from the `position` of the last event it received; positions are handed out by one consumer
-- at a time, one batch per transaction, so they grow in commit order and a resume never skips a late commit.
create table stream_events (
  position bigint generated always as identity primary key,
  -- The change it came from: the same event id (evt_<seq>) as its webhook deliveries.
  change_seq bigint not null,
  type text not null,
  team_id uuid,
  -- The event as sent (the webhook body), serialised once.
  body text not null,
  created_at timestamptz not null default now(),
  constraint stream_events_change_seq_key unique (change_seq)
);

create index stream_events_created_at_idx on stream_events (created_at);

-- How far pruning has gone: a client resuming at or before it is told its cursor expired, not silently skipped.
create table stream_state (
  id boolean primary key default true check (id),
  pruned_through bigint not null default 0
);
insert into stream_state default values;
