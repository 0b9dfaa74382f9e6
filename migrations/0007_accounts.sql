-- People, teams and who may see what. Teams own channels; agents and leads work the conversations of their
-- teams' channels, admins everything.
create table teams (
  id uuid primary key default gen_random_uuid(),
  name citext not null unique,
  created_at timestamptz not null default now()
);

-- Channels connected before teams existed belong to the first team.
insert into teams (name) values ('Support');
alter table channels add column team_id uuid references teams (id);
update channels set team_id = (select id from teams order by created_at limit 1);
alter table channels alter column team_id set not null;
create index channels_team_id_idx on channels (team_id);

create table users (
  id uuid primary key default gen_random_uuid(),
  email citext not null unique,
  name text not null,
  role text not null check (role in ('agent', 'lead', 'admin')),
  -- argon2id, in its PHC string form.
  password_hash text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_login_at timestamptz,
  deactivated_at timestamptz
);

create table team_members (
  team_id uuid not null references teams (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  primary key (team_id, user_id)
);
create index team_members_user_id_idx on team_members (user_id);

-- Server-side sessions: the cookie holds a random token, the row only its SHA-256, so a leaked table
-- cannot be replayed as cookies.
create table sessions (
  id uuid primary key default gen_random_uuid(),
  token_hash bytea not null unique,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_id_idx on sessions (user_id);

-- Single-use links: invitations, password resets, and the first admin's setup.
create table auth_links (
  id uuid primary key default gen_random_uuid(),
  token_hash bytea not null unique,
  kind text not null check (kind in ('invite', 'reset', 'setup')),
  email citext not null,
  role text not null check (role in ('agent', 'lead', 'admin')),
  team_ids uuid[] not null default '{}',
  -- The user a reset is for.
  user_id uuid references users (id) on delete cascade,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz
);
create index auth_links_pending_idx on auth_links (created_at desc) where used_at is null and revoked_at is null;

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  token_hash bytea not null unique,
  prefix text not null,
  scopes text[] not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Failed sign-ins, counted per email and per address to slow guessing. Kept for a day.
create table login_failures (
  id bigint generated always as identity primary key,
  email citext not null,
  ip text not null,
  at timestamptz not null default now()
);
create index login_failures_email_at_idx on login_failures (email, at);
create index login_failures_ip_at_idx on login_failures (ip, at);

create table audit_log (
  id uuid primary key default gen_random_uuid(),
  at timestamptz not null default now(),
  actor_user_id uuid references users (id) on delete set null,
  actor_token_id uuid references api_tokens (id) on delete set null,
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}',
  ip text,
  user_agent text
);
create index audit_log_at_idx on audit_log (at desc, id desc);
create index audit_log_action_at_idx on audit_log (action, at desc, id desc);
