import { reportSlaKinds, slaTargetKindLabels, type ReportHeadline } from '@carebox/shared'
import { useNow } from '../../components/useNow'
import { IndustryLine } from './IndustryLine'
import { MetricCard } from './MetricCard'
import { formatNumber, formatRate, formatSeconds } from './report-format'
import { TimeFiguresTable } from './TimeFiguresTable'

function counted(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`
}

/** The figures a lead looks at first: response rates against the industry, times, SLA, backlog, reopens, and what was left out. */
export function HeadlineCards({ headline }: { headline: ReportHeadline }) {
  const now = useNow(30_000)
  const oldest = headline.backlog.oldestWaitingSince
  return (
    <div className="metric-cards" aria-label="Headline figures" role="group">
      <MetricCard title="Response rate: conversations" metric="conversationResponseRate">
        <p className="metric-big">{formatRate(headline.conversationResponseRate)}</p>
        <p className="metric-note">
          {formatNumber(headline.answeredConversations)} of {counted(headline.inboundConversations, 'inbound conversation', 'inbound conversations')} got a
          reply
        </p>
        <IndustryLine rate={headline.conversationResponseRate} />
      </MetricCard>
      <MetricCard title="Response rate: messages" metric="messageResponseRate">
        <p className="metric-big">{formatRate(headline.messageResponseRate)}</p>
        <p className="metric-note">
          {formatNumber(headline.answeredMessages)} of {counted(headline.customerMessages, 'customer message', 'customer messages')} answered
        </p>
        <IndustryLine rate={headline.messageResponseRate} />
      </MetricCard>
      <MetricCard title="First response time" metric="firstResponse">
        <TimeFiguresTable label="First response time" figures={headline.firstResponse} />
        <p className="metric-note">{counted(headline.firstResponse.calendar.count, 'first response', 'first responses')}</p>
      </MetricCard>
      <MetricCard title="Next response time" metric="nextResponse">
        <TimeFiguresTable label="Next response time" figures={headline.nextResponse} />
        <p className="metric-note">{counted(headline.nextResponse.calendar.count, 'next response', 'next responses')}</p>
      </MetricCard>
      <MetricCard title="Resolution time" metric="resolution">
        <TimeFiguresTable label="Resolution time" figures={headline.resolution} />
        <p className="metric-note">{counted(headline.resolution.calendar.count, 'resolution', 'resolutions')}</p>
      </MetricCard>
      <MetricCard title="Handle time" metric="handle">
        <TimeFiguresTable label="Handle time" figures={headline.handle} />
        <p className="metric-note">{counted(headline.handle.calendar.count, 'conversation handled', 'conversations handled')}</p>
      </MetricCard>
      <MetricCard title="Answered within SLA" metric="sla">
        <p className="metric-big">{formatRate(headline.sla.all.rate)}</p>
        <p className="metric-note">
          {formatNumber(headline.sla.all.achieved)} achieved, {formatNumber(headline.sla.all.breached)} breached
        </p>
        <dl className="metric-list" aria-label="By target kind">
          {reportSlaKinds.map((kind) => (
            <div key={kind}>
              <dt>{slaTargetKindLabels[kind]}</dt>
              <dd>
                {formatRate(headline.sla[kind].rate)}{' '}
                <span className="muted">
                  ({formatNumber(headline.sla[kind].achieved)} of {formatNumber(headline.sla[kind].achieved + headline.sla[kind].breached)})
                </span>
              </dd>
            </div>
          ))}
        </dl>
      </MetricCard>
      <MetricCard title="Backlog now" metric="backlog">
        <p className="metric-big">{formatNumber(headline.backlog.waiting)}</p>
        <p className="metric-note">waiting for a reply, of {counted(headline.backlog.open, 'open conversation', 'open conversations')}</p>
        <p className="metric-note">
          Oldest wait: <strong>{oldest ? formatSeconds((now.getTime() - Date.parse(oldest)) / 1000) : 'nobody waiting'}</strong>
        </p>
      </MetricCard>
      <MetricCard title="Reopen rate" metric="reopenRate">
        <p className="metric-big">{formatRate(headline.reopenRate)}</p>
        <p className="metric-note">
          {formatNumber(headline.reopened)} of {counted(headline.resolved, 'resolved conversation', 'resolved conversations')} reopened within 7 days
        </p>
      </MetricCard>
      <MetricCard title="Not counted as responses" metric="notCounted">
        <dl className="metric-list">
          <div>
            <dt>Notes</dt>
            <dd>{formatNumber(headline.notes)}</dd>
          </div>
          <div>
            <dt>Automated replies</dt>
            <dd>{formatNumber(headline.automatedReplies)}</dd>
          </div>
        </dl>
        <p className="metric-note">Not counted as responses. Replies by people, which are: {formatNumber(headline.replies)}.</p>
      </MetricCard>
    </div>
  )
}
