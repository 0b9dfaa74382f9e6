-- A conversation belongs to its channel's team unless moved to another one: then that team works it.
alter table conversations add column team_id uuid references teams (id) on delete set null;
