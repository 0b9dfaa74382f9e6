-- Public comments handled one at a time: what was done to each on the platform, and the actions asked for.
alter table messages add column hidden_at timestamptz, add column liked_at timestamptz;

create table comment_actions (
  id uuid primary key default gen_random_uuid(),
  message_id uuid not null references messages (id) on delete cascade,
  action text not null check (action in ('hide', 'unhide', 'delete', 'like')),
  status text not null default 'queued' check (status in ('queued', 'done', 'failed')),
  error text,
  requested_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  done_at timestamptz
);
create index comment_actions_message on comment_actions (message_id, created_at desc);

-- The post a public thread is about, read from the platform once.
alter table conversations add column post jsonb;
