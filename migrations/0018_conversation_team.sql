-- A conversation's team, stored once, on the conversation: its channel's when it starts, another when a person
-- moves it there (transferred), and its channel's new team when the channel changes team unless it was moved on
-- purpose. Every query reads conversations.team_id; none works it out from the channel any more.
alter table conversations add column transferred boolean not null default false;
update conversations set transferred = true where team_id is not null;
update conversations c set team_id = ch.team_id from channels ch where ch.id = c.channel_id and c.team_id is null;
alter table conversations drop constraint conversations_team_id_fkey;
alter table conversations add constraint conversations_team_id_fkey foreign key (team_id) references teams (id);
alter table conversations alter column team_id set not null;
create index conversations_team_status on conversations (team_id, status);
