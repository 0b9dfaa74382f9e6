-- Surviving faults (a hung platform, a crashed worker, a database restart).

-- A reply whose send started and never told us its outcome (a timeout, a dropped connection), where the platform
-- offers no way to find out or to repeat it harmlessly: the agent decides whether to send it again.
alter table messages drop constraint messages_status_check;
alter table messages add constraint messages_status_check
  check (status in ('received', 'queued', 'sent', 'delivered', 'read', 'failed', 'unknown'));

-- A circuit breaker per channel: after several sends in a row fail, sending pauses as a whole until
-- send_paused_until, then one send tries again. Kept here, not in memory, so every node honours it.
alter table channels add column send_failures integer not null default 0;
alter table channels add column send_paused_until timestamptz;
alter table channels add column send_pause_reason text;

-- Each running job worker (one graphile-worker pool: the id it locks jobs with) says it is alive every few seconds.
-- Jobs locked by a worker that stopped saying so (its process was killed) are unlocked for the others within a
-- minute, instead of after graphile-worker's four hours.
create table worker_heartbeats (
  worker_id text primary key,
  capacity text not null,
  host text not null,
  pid integer not null,
  started_at timestamptz not null default now(),
  heartbeat_at timestamptz not null default now()
);
