-- The daily rollups also keep each day's rows summed over aligned spans of 3, 9, 27 and 81 days (see
-- server/src/reports/report-spans.ts): 90 days then read as about eight spans instead of ninety days.
-- `span` leads the keys, so one span's rows, or one run of days, are a single range of the index; the metric comes
-- before the channel, so a few metrics are read without the others; and the keys carry the count: a span's rows
-- are read from the index alone, wherever the rows lie in the table.

alter table report_daily add column span smallint not null default 1;
alter table report_daily alter column span drop default;
alter table report_daily add constraint report_daily_span_check check (span in (1, 3, 9, 27, 81));
alter table report_daily drop constraint report_daily_pkey;
alter table report_daily add primary key (span, day, team_id, metric, channel_id, bucket) include (count);

alter table report_daily_agents add column span smallint not null default 1;
alter table report_daily_agents alter column span drop default;
alter table report_daily_agents add constraint report_daily_agents_span_check check (span in (1, 3, 9, 27, 81));
alter table report_daily_agents drop constraint report_daily_agents_pkey;
alter table report_daily_agents add primary key (span, day, team_id, metric, channel_id, agent_id, bucket) include (count);
drop index report_daily_agents_agent_idx;
-- One agent's rows, span by span or day by day, from the index alone.
create index report_daily_agents_agent_idx on report_daily_agents (agent_id, span, day) include (team_id, channel_id, metric, bucket, count);

-- Always read for one tag: the tag leads.
alter table report_daily_tags add column span smallint not null default 1;
alter table report_daily_tags alter column span drop default;
alter table report_daily_tags add constraint report_daily_tags_span_check check (span in (1, 3, 9, 27, 81));
alter table report_daily_tags drop constraint report_daily_tags_pkey;
alter table report_daily_tags add primary key (span, tag, day, team_id, channel_id, metric, bucket) include (count);
drop index report_daily_tags_tag_idx;
create index report_daily_tags_days_idx on report_daily_tags (tag, metric, day) include (team_id, channel_id, bucket, count) where span = 1;

-- The days metric by metric (volume, SLA and first-response charts), without the other metrics' rows.
create index report_daily_days_idx on report_daily (team_id, metric, day) include (channel_id, bucket, count) where span = 1;

-- The hour-of-week heatmap: customer messages by hour, from the index alone.
create index report_hourly_customer_idx on report_hourly (team_id, hour) include (channel_id, count) where metric = 'customer_messages';
create index report_hourly_tags_customer_idx on report_hourly_tags (tag, hour) include (team_id, count) where metric = 'customer_messages';

-- The open backlog counted from the index alone, for a tag too (report_conversations rows are large).
create index report_conversations_backlog_idx on report_conversations (team_id, channel_id) include (waiting_since, tags) where status = 'open';
drop index report_conversations_open_idx;
-- Only the open are waiting: the index above finds them too.
drop index report_conversations_waiting_idx;

-- The wallboard's "at risk": open deadlines with the columns it filters on.
drop index conversations_sla_due_at_idx;
create index conversations_sla_due_at_idx on conversations (sla_due_at, id) include (sla_state, team_id, channel_id) where status = 'open' and sla_due_at is not null;

-- The spans of the days already kept.
insert into report_daily (span, day, team_id, channel_id, metric, bucket, count)
  select s.span, d.day - ((d.day - date '1970-01-01') % s.span + s.span) % s.span, d.team_id, d.channel_id, d.metric, d.bucket, sum(d.count)
  from report_daily d cross join (values (3), (9), (27), (81)) s (span)
  where d.span = 1
  group by 1, 2, 3, 4, 5, 6;
insert into report_daily_agents (span, day, team_id, channel_id, agent_id, metric, bucket, count)
  select s.span, d.day - ((d.day - date '1970-01-01') % s.span + s.span) % s.span, d.team_id, d.channel_id, d.agent_id, d.metric, d.bucket, sum(d.count)
  from report_daily_agents d cross join (values (3), (9), (27), (81)) s (span)
  where d.span = 1
  group by 1, 2, 3, 4, 5, 6, 7;
insert into report_daily_tags (span, tag, day, team_id, channel_id, metric, bucket, count)
  select s.span, d.tag, d.day - ((d.day - date '1970-01-01') % s.span + s.span) % s.span, d.team_id, d.channel_id, d.metric, d.bucket, sum(d.count)
  from report_daily_tags d cross join (values (3), (9), (27), (81)) s (span)
  where d.span = 1
  group by 1, 2, 3, 4, 5, 6, 7;

-- Today's rows and the spans that hold today change with every message: vacuum these tables after 2% of their
-- rows changed rather than the default 20%, so dead versions stay few and the indexes alone answer reads.
alter table report_daily set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
alter table report_daily_agents set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
alter table report_daily_tags set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
