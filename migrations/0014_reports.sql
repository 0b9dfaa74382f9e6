-- Reporting. The dashboard reads rollups kept up to date in the same transaction as each change, never the
-- messages; `pnpm rollups:rebuild` recomputes them all from the conversations and must give the same figures.

-- Every resolve, kept: a conversation reopened and resolved again still counts its first resolution, and a rebuild
-- can replay them (conversations.resolved_at holds only the latest).
create table conversation_resolutions (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations (id) on delete cascade,
  resolved_at timestamptz not null,
  -- Null: a rule resolved it.
  resolved_by uuid references users (id) on delete set null,
  assignee_id uuid references users (id) on delete set null
);
create index conversation_resolutions_conversation_id_idx on conversation_resolutions (conversation_id, resolved_at);
insert into conversation_resolutions (conversation_id, resolved_at, assignee_id)
  select id, coalesce(resolved_at, updated_at), assignee_id from conversations where status = 'resolved';

-- What each conversation adds to the rollups now, and under which team, channel, tags and time zone: the next
-- change to it subtracts exactly this and adds the new answer, so the rollups never drift.
create table report_conversations (
  conversation_id uuid primary key references conversations (id) on delete cascade,
  team_id uuid not null,
  channel_id uuid not null,
  tags text[] not null default '{}',
  time_zone text not null,
  -- [[hour as epoch seconds, agent id or null, metric, bucket, count], ...]
  contributions jsonb not null,
  -- The conversation's status, and while open the customer's oldest message not yet answered: the backlog,
  -- the oldest wait and the wallboard count these without reading conversations.
  status text not null,
  waiting_since timestamptz,
  updated_at timestamptz not null
);
create index report_conversations_open_idx on report_conversations (team_id) where status = 'open';
create index report_conversations_waiting_idx on report_conversations (team_id, waiting_since) where waiting_since is not null;

-- One row per conversation cycle (from the customer's first message after a resolve to the next resolve): the
-- CSV export's rows.
create table report_cycles (
  conversation_id uuid not null references conversations (id) on delete cascade,
  cycle integer not null,
  team_id uuid not null,
  channel_id uuid not null,
  -- Who owned the cycle: the first person to reply, else the assignee when it was resolved.
  agent_id uuid,
  tags text[] not null default '{}',
  started_at timestamptz not null,
  first_response_at timestamptz,
  first_response_seconds integer,
  first_response_business_seconds integer,
  resolved_at timestamptz,
  resolution_seconds integer,
  resolution_business_seconds integer,
  handle_seconds integer,
  handle_business_seconds integer,
  customer_messages integer not null,
  answered_messages integer not null,
  replies integer not null,
  reopened boolean not null,
  sla_achieved integer not null,
  sla_breached integer not null,
  primary key (conversation_id, cycle)
);
create index report_cycles_started_at_idx on report_cycles (started_at);

-- Counters by hour: today's hourly charts, the hour-of-week heatmap, surges.
create table report_hourly (
  hour timestamptz not null,
  team_id uuid not null,
  channel_id uuid not null,
  metric text not null,
  count bigint not null,
  primary key (hour, team_id, channel_id, metric)
);

create table report_hourly_tags (
  hour timestamptz not null,
  team_id uuid not null,
  tag text not null,
  metric text not null,
  count bigint not null,
  primary key (hour, tag, team_id, metric)
);

-- By local day in the team's time zone. `bucket` is -1 for a counter, else the lower edge in seconds of a
-- time histogram's bucket (see time-buckets.ts): medians and p90s are read from those.
create table report_daily (
  day date not null,
  team_id uuid not null,
  channel_id uuid not null,
  metric text not null,
  bucket integer not null,
  count bigint not null,
  primary key (day, team_id, channel_id, metric, bucket)
);

create table report_daily_agents (
  day date not null,
  team_id uuid not null,
  channel_id uuid not null,
  agent_id uuid not null,
  metric text not null,
  bucket integer not null,
  count bigint not null,
  primary key (day, team_id, channel_id, agent_id, metric, bucket)
);
create index report_daily_agents_agent_idx on report_daily_agents (agent_id, day);

create table report_daily_tags (
  day date not null,
  team_id uuid not null,
  channel_id uuid not null,
  tag text not null,
  metric text not null,
  bucket integer not null,
  count bigint not null,
  primary key (day, team_id, channel_id, tag, metric, bucket)
);
create index report_daily_tags_tag_idx on report_daily_tags (tag, day);

-- Seconds each person was online, by hour: written when they leave "online".
create table report_presence_hourly (
  hour timestamptz not null,
  user_id uuid not null references users (id) on delete cascade,
  seconds double precision not null,
  primary key (hour, user_id)
);

-- The workspace's cost inputs and surge thresholds; no row: the defaults.
create table report_settings (
  id boolean primary key default true check (id),
  cost jsonb not null,
  surge jsonb not null,
  updated_at timestamptz not null default now()
);

create table surge_alerts (
  id uuid primary key default gen_random_uuid(),
  team_id uuid references teams (id) on delete cascade,
  scope text not null check (scope in ('channel', 'tag')),
  key text not null,
  label text not null,
  reasons text[] not null,
  window_start timestamptz not null,
  window_end timestamptz not null,
  inbound integer not null,
  baseline double precision not null,
  negative_share double precision not null,
  baseline_negative_share double precision not null,
  conversation_ids uuid[] not null,
  created_at timestamptz not null default now(),
  -- One alert per channel or tag and window, however often the check runs.
  constraint surge_alerts_window_key unique (team_id, scope, key, window_start)
);
create index surge_alerts_created_at_idx on surge_alerts (created_at);
