import type { ConversationSummary } from '@carebox/shared'
import { useEffect, useId, useRef } from 'react'
import { useStore } from '../../store/store'
import { SurveyState } from './SurveyState'
import './surveys.css'

/** After a resolve, the survey is scheduled by a consumer that follows the change: a moment later, not with it. */
export const surveyScheduleWaitMs = 2_000

/**
 * The conversation's latest satisfaction survey in one line (due, asked, rated, not offered), with the earlier ones
 * folded beneath. Nothing shows until there is a survey.
 */
export function SatisfactionSurvey({ conversation }: { conversation: ConversationSummary }) {
  const { id, status } = conversation
  const surveys = useStore((s) => s.surveysByConversation[id])
  const error = useStore((s) => s.surveyErrors[id])
  const load = useStore((s) => s.loadSurveys)
  // Each survey's step writes into the thread (its question, the customer's rating, a note that it was not
  // offered): a thread that grew may hold a survey's news. Null until the thread is loaded.
  const thread = useStore((s) => {
    const messages = s.messagesByConversation[id]
    return messages ? `${messages.length}:${messages.at(-1)?.id ?? ''}` : null
  })
  const titleId = useId()

  const last = useRef<{ id: string; thread: string | null } | null>(null)
  useEffect(() => {
    const previous = last.current
    last.current = { id, thread }
    // Opened: load once. The thread arriving after that is not news.
    if (previous?.id === id && (previous.thread === thread || previous.thread === null)) return
    void load(id)
  }, [id, thread, load])

  // Resolved while on screen: ask again once the survey is likely scheduled.
  const lastStatus = useRef({ id, status })
  useEffect(() => {
    const previous = lastStatus.current
    lastStatus.current = { id, status }
    if (status !== 'resolved' || previous.id !== id || previous.status === 'resolved') return
    const timer = setTimeout(() => void load(id), surveyScheduleWaitMs)
    return () => clearTimeout(timer)
  }, [id, status, load])

  if (!surveys) {
    return error ? <p className="survey-status muted">Satisfaction survey not loaded: {error}</p> : null
  }
  const [latest, ...earlier] = surveys
  if (!latest) return null
  return (
    <section className="survey-status" aria-labelledby={titleId}>
      <h3 id={titleId}>Satisfaction</h3>
      <span className="survey-state">
        <SurveyState survey={latest} />
      </span>
      {earlier.length > 0 && (
        <details className="survey-earlier">
          <summary>Earlier surveys ({earlier.length})</summary>
          <ul aria-label="Earlier surveys">
            {earlier.map((survey) => (
              <li key={survey.id}>
                <SurveyState survey={survey} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  )
}
