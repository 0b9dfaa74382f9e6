-- A contact is a person; an identity is that person's account on one channel. One contact may hold
-- identities on several channels (merged by an agent), one identity belongs to one contact.
create table contacts (
  id uuid primary key default gen_random_uuid(),
  name text,
  handle text,
  avatar_url text,
  language text,
  first_seen_at timestamptz not null,
  last_seen_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table contact_identities (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references contacts (id) on delete cascade,
  channel_id uuid not null references channels (id) on delete cascade,
  -- The platform's stable id for the person on this channel (PSID, IGSID, WhatsApp user_id, …).
  external_id text not null,
  -- Other ids the person may arrive under (WhatsApp: the wa_id beside a user_id).
  aliases text[] not null default '{}',
  name text,
  handle text,
  avatar_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint contact_identities_channel_id_external_id_key unique (channel_id, external_id)
);
create index contact_identities_contact_id_idx on contact_identities (contact_id);
create index contact_identities_aliases_idx on contact_identities using gin (aliases);
