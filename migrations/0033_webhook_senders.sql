-- Each endpoint's sender claims the deliveries that are due: a first attempt, a retry whose time has come. A delivery
-- waiting behind an earlier one of its conversation has no time yet (null) and is not read until that one settles,
-- so a failing endpoint's backlog costs nothing per claim.
create index webhook_deliveries_due_idx on webhook_deliveries (endpoint_id, next_attempt_at) where status = 'pending';

-- A receiver that answered 429 (or 502–504) with Retry-After gets no attempt before this time.
alter table webhook_endpoints add column paused_until timestamptz;
