-- Campaign attribution (integrations spec §4): the ads and links that brought customers, the outcomes agents record,
-- and their way to Meta's Conversions API for Business Messaging.

-- Every referral a platform delivered. A conversation keeps all of them (a customer may come back through another ad);
-- the first is its first touch, the one reports attribute it to, and it never changes once set.
create table conversation_referrals (
  id uuid primary key default gen_random_uuid(),
  channel_id uuid not null references channels (id) on delete cascade,
  -- Null while waiting for the conversation: a click in a new thread can arrive before the customer writes anything
  -- (Messenger messaging_referrals); the thread's first message picks it up.
  conversation_id uuid references conversations (id) on delete cascade,
  contact_id uuid references contacts (id) on delete set null,
  thread_key text not null,
  -- The message's platform id, or for a referral alone its thread and time: a redelivered webhook adds nothing.
  dedupe_key text not null,
  -- ad: a paid ad (ADS, an ad_id, WhatsApp source_type ad); link: an m.me / ig.me link, a post, anything else.
  kind text not null check (kind in ('ad', 'link')),
  -- What reports group by: the ad id (WhatsApp: source id) for ads, the ref for links.
  campaign text,
  source text,
  type text,
  ref text,
  ad_id text,
  ctwa_clid text,
  source_id text,
  source_type text,
  source_url text,
  headline text,
  raw jsonb not null,
  first_touch boolean not null default false,
  received_at timestamptz not null,
  created_at timestamptz not null default now(),
  constraint conversation_referrals_channel_id_dedupe_key_key unique (channel_id, dedupe_key)
);
create unique index conversation_referrals_first_touch_key on conversation_referrals (conversation_id) where first_touch;
create index conversation_referrals_conversation_id_idx on conversation_referrals (conversation_id, received_at);
-- Referrals waiting for their thread's first message: almost always empty, probed by every ingest batch.
create index conversation_referrals_pending_idx on conversation_referrals (channel_id, thread_key) where conversation_id is null;

-- What a conversation led to, recorded by an agent: a lead, or a purchase with its value. One of each per
-- conversation, as Meta counts one per click and event type.
create table conversation_outcomes (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  kind text not null check (kind in ('lead', 'purchase')),
  value numeric(14, 2) check (value >= 0),
  currency text check (currency ~ '^[A-Z]{3}$'),
  recorded_by uuid references users (id) on delete set null,
  -- Meta's Conversions API: not_configured (the channel sends none), pending, sent, failed (Meta refused, or retries
  -- ran out), skipped (nothing Meta could match it to, such as a WhatsApp chat that came from no ad click).
  conversion_status text not null check (conversion_status in ('not_configured', 'pending', 'sent', 'failed', 'skipped')),
  conversion_error text,
  conversion_attempts integer not null default 0,
  conversion_sent_at timestamptz,
  created_at timestamptz not null default now(),
  constraint conversation_outcomes_conversation_id_kind_key unique (conversation_id, kind),
  constraint conversation_outcomes_purchase_value_check check ((kind = 'purchase') = (value is not null and currency is not null))
);

-- A Meta channel's Conversions API settings: the dataset its events go to, and a token for it (sealed like the
-- channel's secrets; null: the channel's own access token, which needs the page_events permission).
create table channel_conversions (
  channel_id uuid primary key references channels (id) on delete cascade,
  dataset_id text not null check (dataset_id ~ '^[0-9]{1,30}$'),
  access_token_ciphertext text,
  updated_at timestamptz not null default now()
);
