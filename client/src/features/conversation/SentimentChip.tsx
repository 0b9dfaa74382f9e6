import { personSentimentLabels, sentimentApi, sentimentLabelNames, type Message, type PersonSentimentLabel } from '@carebox/shared'
import { useState } from 'react'
import { call } from '../../api/http'
import '../../components/sentiment.css'
import { useStore } from '../../store/store'

/**
 * A customer's message's sentiment, and reclassifying it in one click: the chip opens the three labels; picking one
 * sets it for everyone (rules, surges and reports then count the person's label). A label a teammate set can be
 * given back to Carebox's reading.
 */
export function SentimentChip({ message }: { message: Message & { sentiment: NonNullable<Message['sentiment']> } }) {
  const updateMessage = useStore((s) => s.updateMessage)
  const [isOpen, setOpen] = useState(false)
  const [isSaving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { label, by } = message.sentiment
  const isByPerson = by === 'person'
  const name = sentimentLabelNames[label]

  const choose = async (next: PersonSentimentLabel | null) => {
    setSaving(true)
    setError(null)
    try {
      const change = await call(sentimentApi.set, { params: { id: message.id }, body: { label: next } })
      // The thread shows it at once; message.updated brings the same to everyone else.
      const current = useStore.getState().messagesByConversation[message.conversationId]?.find((m) => m.id === message.id) ?? message
      updateMessage({ ...current, sentiment: change.sentiment })
      setOpen(false)
    } catch (caught) {
      setError((caught as Error).message)
    } finally {
      setSaving(false)
    }
  }

  return (
    <span className="sentiment-picker">
      <button
        type="button"
        className={`sentiment sentiment-${label}${isByPerson ? ' sentiment-by-person' : ''}`}
        aria-expanded={isOpen}
        aria-label={`Sentiment: ${name}${isByPerson ? ', set by a teammate' : ''}. Change`}
        title={isByPerson ? 'Set by a teammate' : 'Read by Carebox: click to correct it'}
        onClick={() => setOpen((open) => !open)}
      >
        {name}
      </button>
      {isOpen && (
        <span role="group" aria-label="Set the sentiment" className="sentiment-picker">
          {personSentimentLabels.map((choice) => (
            <button
              key={choice}
              type="button"
              className={`sentiment sentiment-${choice}`}
              aria-pressed={isByPerson && label === choice}
              disabled={isSaving}
              onClick={() => void choose(choice)}
            >
              {sentimentLabelNames[choice]}
            </button>
          ))}
          {isByPerson && (
            <button type="button" className="link" disabled={isSaving} onClick={() => void choose(null)}>
              Use Carebox’s reading
            </button>
          )}
        </span>
      )}
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </span>
  )
}
