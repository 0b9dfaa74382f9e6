-- The minutes agents actually spend on a conversation: its thread open and in focus in their console, the person
-- active. The console says so every 15 s; one row per person, conversation and minute, however many consoles.
-- Social cost in the cost report is these minutes × the hourly cost, not wall-clock spans nobody worked.
create table agent_work_minutes (
  conversation_id uuid not null references conversations on delete cascade,
  user_id uuid not null references users on delete cascade,
  minute timestamptz not null,
  primary key (conversation_id, user_id, minute)
);
create index agent_work_minutes_minute_idx on agent_work_minutes (minute);
