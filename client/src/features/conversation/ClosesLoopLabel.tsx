import type { Message } from '@carebox/shared'
import './surveys.css'

const labels: Record<NonNullable<Message['closesLoop']>, string> = {
  rating: 'Rating · kept resolved',
  comment: 'Comment on the rating · kept resolved',
  thanks: 'Thanks after the resolve · kept resolved',
}

/** Under a customer's message that answered rather than asked: why it did not reopen the conversation. */
export function ClosesLoopLabel({ message }: { message: Message }) {
  if (!message.closesLoop || message.direction !== 'inbound') return null
  return <p className="closes-loop">{labels[message.closesLoop]}</p>
}

/** Above a survey Carebox sent: what it is, and the answers the customer saw as buttons. */
export function SurveySent({ message }: { message: Message }) {
  if (!message.survey) return null
  return (
    <div className="survey-sent">
      <p className="message-template">Satisfaction survey</p>
      {message.survey.options.length > 0 && (
        <ul className="survey-sent-options" aria-label="Answers offered">
          {message.survey.options.map((option) => (
            <li key={option}>{option}</li>
          ))}
        </ul>
      )}
    </div>
  )
}
