-- The sender holding this lease is the only one sending to the endpoint: graphile-worker's local queue does not keep
-- a named queue to one job at a time. Renewed every batch; a sender that died loses it when it runs out.
alter table webhook_endpoints add column sender_lease_id uuid, add column sender_lease_until timestamptz;
