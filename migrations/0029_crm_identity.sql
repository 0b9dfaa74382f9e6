-- What other systems know a customer by (email, phone, their own record ids), what a CRM tells about them, and
-- the teams an API token is limited to.
alter table contacts
  -- Trimmed and lower-cased by the server before it is stored, so equal addresses compare equal.
  add column email text check (email = lower(btrim(email)) and email like '_%@_%'),
  -- E.164, normalised by the server (awesome-phonenumber) before it is stored.
  add column phone text check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  -- What a CRM pushed through POST /api/v1/contacts/upsert, shown beside the conversation.
  add column crm_company text,
  add column crm_tier text,
  add column crm_owner text,
  add column crm_lifetime_value numeric(16, 2) check (crm_lifetime_value >= 0),
  add column crm_currency text check (crm_currency ~ '^[A-Z]{3}$'),
  add column crm_updated_at timestamptz;
-- The key addresses are matched by: Gmail ignores dots and a +tag in the local part, and googlemail.com is gmail.com,
-- so j.doe+shop@googlemail.com and jdoe@gmail.com are one mailbox. The address itself is stored as given.
create function email_match_key(email text) returns text language sql immutable parallel safe as $$
  select case
    when split_part(email, '@', 2) in ('gmail.com', 'googlemail.com')
      then replace(split_part(split_part(email, '@', 1), '+', 1), '.', '') || '@gmail.com'
    else email
  end
$$;
-- Not unique: two contacts sharing an address are the same person seen twice, which the console suggests merging.
create index contacts_email_idx on contacts (email_match_key(email)) where email is not null;
create index contacts_phone_idx on contacts (phone) where phone is not null;

-- A customer's record in another system (a CRM's contact id), with a link back to it when the system gave one.
create table contact_external_ids (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references contacts (id) on delete cascade,
  -- Which system the id belongs to ('crm' unless the integration names it): ids of two systems never collide.
  system text not null,
  external_id text not null,
  url text check (url ~* '^https?://'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint contact_external_ids_system_external_id_key unique (system, external_id)
);
create index contact_external_ids_contact_id_idx on contact_external_ids (contact_id);

-- The teams whose data a token may reach; null: every team's (as before).
alter table api_tokens add column team_ids uuid[];
