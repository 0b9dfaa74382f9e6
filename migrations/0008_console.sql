-- Working conversations: who has it, how urgent, when it comes back, and what it is about.
alter table conversations
  add column assignee_id uuid references users (id) on delete set null,
  add column priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  add column tags text[] not null default '{}',
  add column snoozed_until timestamptz;
create index conversations_assignee_id_idx on conversations (assignee_id, last_message_at desc, id desc) where assignee_id is not null;
create index conversations_unassigned_idx on conversations (last_message_at desc, id desc) where assignee_id is null and status = 'open';
create index conversations_tags_idx on conversations using gin (tags);

-- Replies and notes written in Carebox, and events, live beside the customer's messages.
alter table messages
  add column kind text not null default 'message' check (kind in ('message', 'note', 'event')),
  add column author_user_id uuid references users (id) on delete set null,
  -- The client's key for a reply or note: the same key twice stores (and sends) it once.
  add column client_key uuid,
  -- Outbound replies: when the last send attempt started, to reconcile one whose outcome is unknown.
  add column send_started_at timestamptz;
create unique index messages_client_key_idx on messages (conversation_id, client_key) where client_key is not null;

-- Search: words of messages in any language ('simple': no stemming, no stop words), names and handles by trigram.
-- lower() first: it folds every script's capitals, where the text search parser folds only ASCII in a C ctype.
create index messages_text_search_idx on messages using gin (to_tsvector('simple', lower(text))) where kind = 'message';
create index contacts_name_trgm_idx on contacts using gin (name gin_trgm_ops);
create index contacts_handle_trgm_idx on contacts using gin (handle gin_trgm_ops);
