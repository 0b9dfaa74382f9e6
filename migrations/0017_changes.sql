-- The record of changes: every writer adds what it changed here, in the transaction that changes the rows.
-- Everything that follows a change (the consoles' live events, routing, SLA targets and timers, report rollups,
-- surge checks, later webhooks and the event stream) reads this table from a cursor of its own.
create table changes (
  seq bigint generated always as identity primary key,
  -- The writing transaction: a reader that must not skip a change still in flight reads only below the oldest
  -- transaction still running (pg_snapshot_xmin), in (tx, seq) order, which is commit-safe where seq alone is not.
  tx xid8 not null default pg_current_xact_id(),
  type text not null,
  occurred_at timestamptz not null default now(),
  team_id uuid,
  conversation_id uuid,
  message_id uuid,
  contact_id uuid,
  -- Who made the change: {"type": "agent"|"rule"|"system"|"contact", "id"?}.
  actor jsonb,
  -- The facts a consumer needs beyond the ids (from/to of a status, a notification's text).
  data jsonb not null default '{}'
);
create index changes_tx_seq on changes (tx, seq);
create index changes_occurred_at on changes (occurred_at);

-- Where each consumer has got to: the (tx, seq) of the last change it processed.
create table change_consumers (
  name text primary key,
  tx xid8 not null default '0',
  seq bigint not null default 0,
  processed bigint not null default 0,
  updated_at timestamptz not null default now()
);

-- A change a consumer failed on: its attempts, and once they are spent, a dead letter an admin can replay.
create table change_failures (
  consumer text not null,
  seq bigint not null,
  attempts integer not null default 0,
  error text not null,
  first_failed_at timestamptz not null default now(),
  last_failed_at timestamptz not null default now(),
  -- Set when the consumer gave up and moved past it.
  parked_at timestamptz,
  -- Set when an admin replayed it successfully (kept for the record).
  replayed_at timestamptz,
  primary key (consumer, seq)
);
create index change_failures_parked on change_failures (parked_at) where parked_at is not null and replayed_at is null;

-- The consumers there are, from the first change on (a consumer added later starts from the changes recorded
-- after it first runs, unless a migration gives it a cursor as here).
insert into change_consumers (name) values ('console'), ('rules'), ('sla'), ('assignment'), ('rollups'), ('surges');
