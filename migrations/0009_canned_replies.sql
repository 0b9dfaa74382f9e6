-- Answers a team gives again and again, inserted in the composer with `/` and filled in with the customer's
-- and agent's names. A reply with no team is everyone's.
create table canned_replies (
  id uuid primary key default gen_random_uuid(),
  team_id uuid references teams (id) on delete cascade,
  shortcut citext not null,
  title text not null,
  body text not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- One shortcut per team, and one among the replies for everyone.
create unique index canned_replies_shortcut_idx on canned_replies (coalesce(team_id, '00000000-0000-0000-0000-000000000000'), shortcut);

-- What an agent was writing in a conversation, kept across reloads and devices.
create table drafts (
  conversation_id uuid not null references conversations (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  text text not null,
  mode text not null check (mode in ('reply', 'note')),
  updated_at timestamptz not null default now(),
  primary key (user_id, conversation_id)
);
