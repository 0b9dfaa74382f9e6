import { sentimentLabelNames, type SentimentLabel } from '@carebox/shared'
import './sentiment.css'

/**
 * A message's or a conversation's sentiment as a small labelled chip: the word always, the colour as a help.
 * `byPerson` marks a label a teammate set (it wins over the model's).
 */
export function SentimentBadge({ label, byPerson = false }: { label: SentimentLabel; byPerson?: boolean }) {
  return (
    <span className={`sentiment sentiment-${label}${byPerson ? ' sentiment-by-person' : ''}`} title={byPerson ? 'Set by a teammate' : 'Read by Carebox'}>
      {sentimentLabelNames[label]}
    </span>
  )
}
