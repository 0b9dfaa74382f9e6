-- Extensions every later migration may rely on.
-- pg_trgm: fuzzy search over contact names; citext: case-insensitive emails and handles.
create extension if not exists pg_trgm;
create extension if not exists citext;
