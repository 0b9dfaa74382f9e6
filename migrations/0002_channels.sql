-- A channel is one account of ours on one platform (a Facebook Page, a WhatsApp number, a Telegram bot, …).
create table channels (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('facebook', 'instagram', 'whatsapp', 'telegram', 'x', 'mastodon', 'bluesky')),
  name text not null check (length(name) between 1 and 100),
  -- The platform's id for our account; Meta webhooks are routed to the channel by it.
  external_id text not null check (length(external_id) between 1 and 200),
  -- Non-secret settings: apiBaseUrl, mode (webhook|polling), pollIntervalMs, handle.
  config jsonb not null default '{}',
  -- AES-256-GCM ciphertext of the secrets JSON (tokens, app secrets); never returned by the API.
  secrets_ciphertext text not null,
  -- Meta's hub.verify_token for the subscription handshake: configured by the admin in Meta's dashboard.
  verify_token text not null,
  enabled boolean not null default true,
  poll_cursor text,
  last_event_at timestamptz,
  last_polled_at timestamptz,
  error_count integer not null default 0,
  last_error text,
  last_error_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint channels_kind_external_id_key unique (kind, external_id)
);
