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
  name text,
  handle text,
  avatar_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint contact_identities_channel_id_external_id_key unique (channel_id, external_id)
);
create index contact_identities_contact_id_idx on contact_identities (contact_id);

-- Other ids a person may arrive under on a channel (WhatsApp: the wa_id beside a business-scoped user_id),
-- each pointing at the identity: looked up by primary key, however many people the channel has.
create table contact_identity_aliases (
  channel_id uuid not null references channels (id) on delete cascade,
  alias text not null,
  identity_id uuid not null references contact_identities (id) on delete cascade,
  created_at timestamptz not null default now(),
  constraint contact_identity_aliases_pkey primary key (channel_id, alias)
);
create index contact_identity_aliases_identity_id_idx on contact_identity_aliases (identity_id);
