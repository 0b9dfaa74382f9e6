import type { Survey } from '@carebox/shared'
import { formatDateTime, formatFullDateTime } from '../../components/formatTime'

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })

/** "14:05" today, "Tue 3 Mar, 14:05" on another day. */
function SurveyTime({ at, prefixToday = '' }: { at: string; prefixToday?: string }) {
  const date = new Date(at)
  const isToday = date.toDateString() === new Date().toDateString()
  return (
    <>
      {isToday ? prefixToday : ''}
      <time dateTime={at} title={formatFullDateTime(at)}>
        {isToday ? clockFormat.format(date) : formatDateTime(date)}
      </time>
    </>
  )
}

/**
 * Where one satisfaction survey stands, in a few words: due, asked, rated (with the customer's comment, as text),
 * rated but hidden from agents, or not offered and why.
 */
export function SurveyState({ survey }: { survey: Survey }) {
  switch (survey.status) {
    case 'scheduled':
      return (
        <span>
          Survey due <SurveyTime at={survey.dueAt} prefixToday="at " />
        </span>
      )
    case 'offered':
      return (
        <span>
          Asked
          {survey.offeredAt && (
            <>
              {' '}
              <SurveyTime at={survey.offeredAt} />
            </>
          )}{' '}
          · <span className="muted">no answer yet</span>
        </span>
      )
    case 'not_offered':
      return <span>Not offered{survey.reason ? <>: {survey.reason}</> : null}</span>
    case 'answered':
      if (survey.rating === null) return <span>Rated (hidden from agents)</span>
      return (
        <span>
          <strong className={survey.rating <= 2 ? 'survey-rating survey-rating-low' : 'survey-rating'}>Rated {survey.rating}/5</strong>
          {survey.comment && (
            <>
              {' · '}
              <q className="survey-comment" dir="auto">
                {survey.comment}
              </q>
            </>
          )}
        </span>
      )
  }
}
