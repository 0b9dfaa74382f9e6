-- Files agents send with replies. The bytes live in the file storage (CAREBOX_DATA_DIR/files by default); a row
-- says what they are and where. A file is uploaded first, then taken by one reply (message_id); one nobody sends
-- is removed a day later.
create table files (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  uploaded_by uuid references users (id) on delete set null,
  name text not null,
  mime_type text not null,
  kind text not null check (kind in ('image', 'video', 'audio', 'file')),
  size integer not null check (size > 0),
  sha256 text not null,
  storage_key text not null unique,
  message_id uuid references messages (id) on delete set null,
  created_at timestamptz not null default now()
);
create index files_message on files (message_id) where message_id is not null;
