-- WhatsApp message templates, as read from each WhatsApp Business Account (WABA). Templates belong to the account,
-- not to one phone number: every channel whose settings name the account sends from the same list.
create table whatsapp_templates (
  id uuid primary key default gen_random_uuid(),
  business_account_id text not null,
  -- Meta's template id, a string (the status webhook sends it as a number: normalised before it gets here).
  external_id text not null,
  name text not null,
  language text not null,
  category text not null,
  status text not null,
  parameter_format text not null default 'POSITIONAL' check (parameter_format in ('POSITIONAL', 'NAMED')),
  -- The components exactly as the platform listed them: what a send must match.
  components jsonb not null default '[]',
  reason text,
  quality_score text,
  synced_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (business_account_id, external_id)
);
create index whatsapp_templates_account_name on whatsapp_templates (business_account_id, name, language);

-- When each account's list was last read whole from the platform.
create table whatsapp_template_syncs (
  business_account_id text primary key,
  synced_at timestamptz not null
);
