-- Follow-ups: a conversation comes back at a chosen time with a note, and maybe a prepared message is sent then.
create table follow_ups (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  created_by uuid references users (id) on delete set null,
  due_at timestamptz not null,
  note text,
  -- {kind: 'text', text} or {kind: 'template', templateId, values}; null: only the reminder.
  message jsonb,
  status text not null default 'scheduled' check (status in ('scheduled', 'done', 'cancelled')),
  -- What will happen (while scheduled), then what happened.
  outcome text not null,
  created_at timestamptz not null default now(),
  done_at timestamptz
);
-- One scheduled follow-up per conversation: a new one replaces it.
create unique index follow_ups_one_scheduled on follow_ups (conversation_id) where status = 'scheduled';
create index follow_ups_conversation on follow_ups (conversation_id, created_at desc);
