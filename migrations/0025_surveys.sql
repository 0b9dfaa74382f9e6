-- Satisfaction surveys: after a resolve, the customer is asked for a 1–5 rating on their own channel, once per
-- resolution cycle. A row per resolve says whether it was offered (or why not) and what came back.
create table survey_settings (
  team_id uuid primary key references teams (id) on delete cascade,
  enabled boolean not null default true,
  delay_minutes integer not null default 5 check (delay_minutes between 0 and 10080),
  agents_see_ratings boolean not null default true,
  ask_why boolean not null default true,
  -- A short thanks after a resolve stays in the thread without reopening (see shared/src/surveys.ts).
  keep_thanks_resolved boolean not null default true,
  -- A lead's words per language ({"es": {question, button, options, why}}); the defaults live in shared/src/surveys.ts.
  texts jsonb not null default '{}',
  disabled_channel_ids uuid[] not null default '{}',
  updated_at timestamptz not null default now()
);

create table surveys (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  -- One survey per resolve: a reopen and a new resolve is a new cycle, with a survey of its own.
  resolution_id bigint not null unique references conversation_resolutions (id) on delete cascade,
  -- What the answer buttons carry (csat:<token>:<n>): short, since Telegram allows 64 bytes.
  token text not null unique,
  status text not null default 'scheduled' check (status in ('scheduled', 'offered', 'not_offered', 'answered')),
  reason text,
  -- The person the customer talked to: the last reply by a person in the cycle, frozen when offered.
  agent_id uuid references users (id) on delete set null,
  language text,
  message_id uuid references messages (id) on delete set null,
  rating integer check (rating between 1 and 5),
  comment text,
  due_at timestamptz not null,
  offered_at timestamptz,
  answered_at timestamptz,
  created_at timestamptz not null default now()
);
create index surveys_conversation on surveys (conversation_id, created_at desc);
create index surveys_answered on surveys (answered_at) where rating is not null;

-- A customer's message that closes the loop rather than opening a new case: a rating, its comment, or a short thanks
-- after a resolve. It stays in the thread and reopens nothing, starts no clock and gets no automatic reply.
-- Added without a check first, then the check NOT VALID: checking every existing row would lock messages (and
-- ingest) for the length of a scan of the whole table. New rows are checked.
alter table messages add column closes_loop text;
alter table messages add constraint messages_closes_loop_check check (closes_loop in ('rating', 'comment', 'thanks')) not valid;
