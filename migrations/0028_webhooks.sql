-- Signed outbound webhooks (Standard Webhooks 1.0): endpoints an admin registers, and
-- one delivery row per (endpoint, event) made by the `webhooks` consumer from the record of changes.
create table webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  url text not null,
  description text not null default '',
  -- Catalogue names the endpoint wants; empty: all of them.
  event_types text[] not null default '{}',
  -- Only this team's events; null: every team's.
  team_id uuid references teams (id) on delete cascade,
  -- The whsec_ secret, sealed with the app's SecretBox; shown once when created or rotated.
  secret_ciphertext text not null,
  -- After a rotation the old secret signs too, until this time.
  previous_secret_ciphertext text,
  previous_secret_until timestamptz,
  -- An admin's explicit exception for an on-premise receiver: loopback and private addresses are allowed for this
  -- endpoint (link-local and metadata addresses never are).
  allow_private_network boolean not null default false,
  enabled boolean not null default true,
  disabled_reason text,
  disabled_at timestamptz,
  -- The first failed attempt since the last success: an endpoint failing for long enough is disabled.
  failing_since timestamptz,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
  -- The webhook-id header and the body's id: evt_<change seq>, identical on every attempt and replay.
  event_id text not null,
  event_type text not null,
  -- The change it came from (null for a test event): deliveries of one conversation go in this order.
  change_seq bigint,
  conversation_id uuid,
  -- The exact body sent (the bytes signed), kept thin: ids and the catalogue's fields.
  payload text not null,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz,
  -- Set while an attempt is in flight: a second job for the same attempt finds it claimed.
  attempt_started_at timestamptz,
  last_attempt_at timestamptz,
  last_status integer,
  last_latency_ms integer,
  last_error text,
  -- The first 2 KB of the receiver's answer, as text.
  last_response_excerpt text,
  created_at timestamptz not null default now(),
  constraint webhook_deliveries_endpoint_id_event_id_key unique (endpoint_id, event_id)
);
create index webhook_deliveries_endpoint_id_created_at_idx on webhook_deliveries (endpoint_id, created_at desc, id desc);
create index webhook_deliveries_endpoint_id_conversation_id_idx on webhook_deliveries (endpoint_id, conversation_id, change_seq)
  where status = 'pending';
create index webhook_deliveries_endpoint_id_failed_idx on webhook_deliveries (endpoint_id, created_at) where status = 'failed';
