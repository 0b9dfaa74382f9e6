-- A public thread's survey is a link to a page Carebox serves (no sign-in): its token is long and unguessable,
-- used once, and the page refuses it after 7 days. Off by default: a lead turns it on per team.
alter table surveys add column link_token text unique;
alter table survey_settings add column public_link boolean not null default false;
