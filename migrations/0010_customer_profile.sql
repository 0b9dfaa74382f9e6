-- What the team knows about a customer beyond their messages, and contacts merged by hand (undoable).
alter table contacts
  add column tags text[] not null default '{}',
  add column attributes jsonb not null default '{}',
  -- Set while this contact is merged into another: kept, not deleted, so the merge can be undone.
  add column merged_into uuid references contacts (id);

create table contact_notes (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references contacts (id) on delete cascade,
  author_user_id uuid references users (id) on delete set null,
  text text not null,
  created_at timestamptz not null default now()
);
create index contact_notes_contact_id_idx on contact_notes (contact_id, created_at desc);

-- What a merge moved, so undoing it moves exactly that back.
create table contact_merges (
  id uuid primary key default gen_random_uuid(),
  kept_contact_id uuid not null references contacts (id) on delete cascade,
  merged_contact_id uuid not null references contacts (id) on delete cascade,
  identity_ids uuid[] not null,
  conversation_ids uuid[] not null,
  message_ids uuid[] not null,
  note_ids uuid[] not null,
  -- The kept contact's tags, attributes and first and last seen before the merge added the other's.
  kept_before jsonb not null,
  merged_by uuid references users (id) on delete set null,
  merged_at timestamptz not null default now(),
  undone_at timestamptz
);
create index contact_merges_kept_idx on contact_merges (kept_contact_id, merged_at desc);
