-- A conversation is one thread on one channel: a DM thread with a person, or a public thread under a post.
create table conversations (
  id uuid primary key default gen_random_uuid(),
  channel_id uuid not null references channels (id) on delete cascade,
  contact_id uuid not null references contacts (id),
  thread_key text not null,
  kind text not null check (kind in ('dm', 'public')),
  status text not null default 'open' check (status in ('open', 'snoozed', 'resolved')),
  subject text,
  message_count integer not null default 0,
  last_message_at timestamptz not null,
  last_message_preview text not null default '',
  -- Platform windows (24 h, 7 days) run from the customer's last message.
  last_inbound_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint conversations_channel_id_thread_key_key unique (channel_id, thread_key)
);
create index conversations_last_message_at_idx on conversations (last_message_at desc, id desc);
create index conversations_status_last_message_at_idx on conversations (status, last_message_at desc, id desc);
create index conversations_contact_id_idx on conversations (contact_id);

create table messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  channel_id uuid not null references channels (id) on delete cascade,
  -- The platform's id; null until an outbound message is accepted by the platform.
  external_id text,
  direction text not null check (direction in ('inbound', 'outbound')),
  -- contact: the customer; agent: sent from Carebox; platform: sent from our account outside Carebox (an echo).
  author_kind text not null check (author_kind in ('contact', 'agent', 'platform')),
  -- Who wrote a customer's message: in a public thread under a post, many people do.
  author_contact_id uuid references contacts (id),
  text text not null default '',
  attachments jsonb not null default '[]',
  status text not null check (status in ('received', 'queued', 'sent', 'delivered', 'read', 'failed')),
  error text,
  reply_to_external_id text,
  reply_context jsonb,
  reactions jsonb not null default '[]',
  sent_at timestamptz not null,
  edited_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint messages_channel_id_external_id_key unique (channel_id, external_id)
);
create index messages_conversation_id_sent_at_idx on messages (conversation_id, sent_at, id);

-- Every delivery status a platform reported, kept even when it arrives before we know the message
-- (a receipt can beat the commit of our own send), so it can be applied once the message is known.
create table message_receipts (
  channel_id uuid not null references channels (id) on delete cascade,
  external_id text not null,
  status text not null check (status in ('sent', 'delivered', 'read', 'failed')),
  error text,
  reported_at timestamptz not null,
  created_at timestamptz not null default now(),
  constraint message_receipts_channel_id_external_id_status_key unique (channel_id, external_id, status)
);
