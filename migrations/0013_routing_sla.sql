-- Routing and service levels: who is available to take what, which promises apply to a conversation, when each
-- one falls due, and the rules team leads write for what happens as time passes.

-- Each team's clock: its time zone and opening hours (split shifts per weekday, holidays), and whether new
-- conversations are handed out automatically.
alter table teams
  add column time_zone text not null default 'UTC',
  add column business_hours jsonb not null default '{"shifts": [
    {"weekday": 1, "opens": "09:00", "closes": "17:00"}, {"weekday": 2, "opens": "09:00", "closes": "17:00"},
    {"weekday": 3, "opens": "09:00", "closes": "17:00"}, {"weekday": 4, "opens": "09:00", "closes": "17:00"},
    {"weekday": 5, "opens": "09:00", "closes": "17:00"}], "holidays": []}',
  add column auto_assign boolean not null default false;

-- Availability and what each person can take: at most `capacity` open conversations, and at most
-- `capacity_by_kind[kind]` on one kind of channel; skills narrow what routing gives them (empty: anything).
alter table users
  add column presence text not null default 'offline' check (presence in ('online', 'away', 'offline')),
  add column presence_at timestamptz,
  -- Said "away" themselves: stays away whatever their consoles do, until they say otherwise.
  add column away_by_choice boolean not null default false,
  add column capacity integer not null default 10 check (capacity between 0 and 500),
  add column capacity_by_kind jsonb not null default '{}',
  add column skill_languages text[] not null default '{}',
  add column skill_channel_kinds text[] not null default '{}';

-- An optional acknowledgement sent when a customer writes outside the team's hours (automated, never counted
-- as a human reply).
alter table channels add column out_of_hours_reply text;

alter table messages
  -- Detected from the text of a customer's message; null when too short or unsure.
  add column language text,
  -- Sent by a rule, not a person: never a response for service levels or reports.
  add column automated boolean not null default false;

create table sla_policies (
  id uuid primary key default gen_random_uuid(),
  -- The first enabled policy, by position, whose conditions match applies.
  position integer not null,
  name text not null,
  enabled boolean not null default true,
  -- { channelIds?, teamIds?, priorities?, tags? }: every listed condition must hold; an empty object matches all.
  conditions jsonb not null default '{}',
  -- { [priority]: { firstResponse?, nextResponse?, resolution? } }, each { minutes, businessHours }.
  targets jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

alter table conversations
  add column language text,
  add column resolved_at timestamptz,
  add column sla_policy_id uuid references sla_policies (id) on delete set null,
  -- The nearest deadline among the conversation's running targets, and their state: what badges, the
  -- next-breach sort and the at-risk view read without looking at the targets.
  add column sla_due_at timestamptz,
  add column sla_state text check (sla_state in ('active', 'paused', 'breached'));
create index conversations_sla_due_at_idx on conversations (sla_due_at, id) where status = 'open' and sla_due_at is not null;
create index conversations_language_idx on conversations (language) where language is not null;
-- The team queue: unassigned open conversations by priority, then deadline.
create index conversations_queue_idx on conversations (
  (array_position(array['urgent', 'high', 'normal', 'low']::text[], priority)), sla_due_at, last_inbound_at, id
) where assignee_id is null and status = 'open';
create index conversations_open_assignee_idx on conversations (assignee_id) where status = 'open' and assignee_id is not null;

-- One promise to one conversation: a first response, a next response (one per customer message that waits
-- after the first reply), or the resolution of a cycle (a reopen starts a new cycle).
create table sla_targets (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  policy_id uuid references sla_policies (id) on delete set null,
  kind text not null check (kind in ('first_response', 'next_response', 'resolution')),
  cycle_started_at timestamptz not null,
  started_at timestamptz not null,
  target_minutes integer not null,
  business_hours boolean not null,
  -- Time spent waiting on the customer, in the target's own clock: it moves the deadline later.
  paused_minutes double precision not null default 0,
  status text not null check (status in ('active', 'paused', 'achieved', 'breached')),
  due_at timestamptz,
  stopped_at timestamptz,
  breached_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint sla_targets_conversation_kind_start_key unique (conversation_id, kind, started_at)
);
-- Running: not yet stopped by a reply or a resolve (a breached target runs on until it is met).
create index sla_targets_running_idx on sla_targets (conversation_id) where stopped_at is null;
create index sla_targets_due_idx on sla_targets (due_at) where status = 'active';

-- What leads set to happen when: on a customer message, after a wait, at an SLA warning or breach, when a
-- snooze ends. Conditions and actions are validated by their schema in shared/.
create table automation_rules (
  id uuid primary key default gen_random_uuid(),
  -- Null: every team.
  team_id uuid references teams (id) on delete cascade,
  position integer not null,
  name text not null,
  enabled boolean not null default true,
  trigger text not null check (trigger in ('message.received', 'customer.waiting', 'customer.silent', 'sla.warning', 'sla.breached', 'snooze.ended')),
  after_minutes integer check (after_minutes is null or after_minutes between 1 and 525600),
  conditions jsonb not null default '{}',
  actions jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- A rule acts once per occasion (a target's warning, a wait that started at a given message): the key says
-- which, so a timer that fires twice acts once.
create table automation_runs (
  rule_id uuid not null references automation_rules (id) on delete cascade,
  conversation_id uuid not null references conversations (id) on delete cascade,
  occasion text not null,
  ran_at timestamptz not null default now(),
  primary key (rule_id, conversation_id, occasion)
);
