-- Channel health (Settings → Channels and → System): when a polling cursor last stopped matching the platform
-- (its ids moved backwards, or it refused the cursor) and the poll started over from what the platform has.
alter table channels
  add column poll_cursor_reset_at timestamptz,
  add column poll_cursor_reset_reason text;

-- The health view reads, per channel and source, the latest arrival (the last webhook received) and the arrivals
-- of the last days (the channel's usual gap between them): a short backward scan each instead of the whole table.
create index inbound_events_channel_id_source_received_at_idx on inbound_events (channel_id, source, received_at);
