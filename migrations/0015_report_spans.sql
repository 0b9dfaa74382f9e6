-- The daily rollups also keep each day's rows summed over aligned spans of 4, 16 and 64 days (see
-- server/src/reports/report-spans.ts): 90 days then read as about nine spans instead of ninety days.
-- `span` leads the keys, so one span's rows, or one run of days, are a single range of the index.

alter table report_daily add column span smallint not null default 1;
alter table report_daily alter column span drop default;
alter table report_daily add constraint report_daily_span_check check (span in (1, 4, 16, 64));
alter table report_daily drop constraint report_daily_pkey;
alter table report_daily add primary key (span, day, team_id, channel_id, metric, bucket);

alter table report_daily_agents add column span smallint not null default 1;
alter table report_daily_agents alter column span drop default;
alter table report_daily_agents add constraint report_daily_agents_span_check check (span in (1, 4, 16, 64));
alter table report_daily_agents drop constraint report_daily_agents_pkey;
alter table report_daily_agents add primary key (span, day, team_id, channel_id, agent_id, metric, bucket);
drop index report_daily_agents_agent_idx;
create index report_daily_agents_agent_idx on report_daily_agents (agent_id, span, day);

-- Always read for one tag: the tag leads.
alter table report_daily_tags add column span smallint not null default 1;
alter table report_daily_tags alter column span drop default;
alter table report_daily_tags add constraint report_daily_tags_span_check check (span in (1, 4, 16, 64));
alter table report_daily_tags drop constraint report_daily_tags_pkey;
alter table report_daily_tags add primary key (span, tag, day, team_id, channel_id, metric, bucket);
drop index report_daily_tags_tag_idx;

-- The days' counters and first-response times (volume, SLA and trend charts) without the other histograms.
create index report_daily_counters_idx on report_daily (team_id, day) include (channel_id, metric, count) where span = 1 and bucket = -1;
create index report_daily_frt_idx on report_daily (team_id, day) include (channel_id, bucket, count) where span = 1 and metric = 'frt';

-- The open backlog counted from the index alone (report_conversations rows are large).
create index report_conversations_backlog_idx on report_conversations (team_id, channel_id) include (waiting_since) where status = 'open';
drop index report_conversations_open_idx;

-- The spans of the days already kept.
insert into report_daily (span, day, team_id, channel_id, metric, bucket, count)
  select s.span, d.day - (d.day - date '1970-01-01') % s.span, d.team_id, d.channel_id, d.metric, d.bucket, sum(d.count)
  from report_daily d cross join (values (4), (16), (64)) s (span)
  where d.span = 1
  group by 1, 2, 3, 4, 5, 6;
insert into report_daily_agents (span, day, team_id, channel_id, agent_id, metric, bucket, count)
  select s.span, d.day - (d.day - date '1970-01-01') % s.span, d.team_id, d.channel_id, d.agent_id, d.metric, d.bucket, sum(d.count)
  from report_daily_agents d cross join (values (4), (16), (64)) s (span)
  where d.span = 1
  group by 1, 2, 3, 4, 5, 6, 7;
insert into report_daily_tags (span, tag, day, team_id, channel_id, metric, bucket, count)
  select s.span, d.tag, d.day - (d.day - date '1970-01-01') % s.span, d.team_id, d.channel_id, d.metric, d.bucket, sum(d.count)
  from report_daily_tags d cross join (values (4), (16), (64)) s (span)
  where d.span = 1
  group by 1, 2, 3, 4, 5, 6, 7;
