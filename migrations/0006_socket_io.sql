-- Events between Carebox nodes (CAREBOX_REALTIME=postgres) travel by NOTIFY; payloads over NOTIFY's 8,000-byte
-- limit go through this table of the socket.io PostgreSQL adapter, which also clears it.
create table socket_io_attachments (
  id bigserial unique,
  created_at timestamptz default now(),
  payload bytea
);
