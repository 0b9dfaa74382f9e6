-- Up to when each person has read each conversation: what is unread for them is what the customer wrote since.
create table conversation_reads (
  user_id uuid not null references users (id) on delete cascade,
  conversation_id uuid not null references conversations (id) on delete cascade,
  read_at timestamptz not null,
  primary key (user_id, conversation_id)
);
create index contacts_language_idx on contacts (language) where language is not null;
