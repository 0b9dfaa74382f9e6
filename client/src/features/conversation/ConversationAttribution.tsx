import type { ChannelKind, ConversationSummary } from '@carebox/shared'
import { useEffect, useId, useState } from 'react'
import { useStore } from '../../store/store'
import './attribution.css'
import { OutcomeDialog } from './OutcomeDialog'
import { conversionWords, outcomeTitle } from './outcome-text'
import { ReferralLine } from './ReferralLine'

/** The platforms that tell where a customer came from (Meta's referrals); elsewhere no answer is no news. */
const adPlatforms = new Set<ChannelKind>(['facebook', 'instagram', 'whatsapp'])

/**
 * Where the conversation came from (the ad or link of its first touch, with later ones folded beneath) and what it
 * led to, with "Record outcome…". A customer's new message may carry a referral: the block loads again when one
 * arrives.
 */
export function ConversationAttribution({ conversation }: { conversation: ConversationSummary }) {
  const { id, lastInboundAt } = conversation
  const attribution = useStore((s) => s.attributionByConversation[id])
  const error = useStore((s) => s.attributionErrors[id])
  const load = useStore((s) => s.loadConversationAttribution)
  const [isRecording, setRecording] = useState(false)
  const titleId = useId()

  useEffect(() => {
    void load(id)
  }, [id, lastInboundAt, load])

  // Another conversation: its own dialog, not this one's.
  useEffect(() => () => setRecording(false), [id])

  const firstTouch = attribution?.firstTouch ?? null
  const later = attribution?.referrals.filter((referral) => !referral.firstTouch) ?? []
  const outcomes = attribution?.outcomes ?? []
  return (
    <section className="attribution" aria-labelledby={titleId}>
      <h3 id={titleId}>Source</h3>
      {firstTouch ? (
        <p className="attribution-referral">
          <ReferralLine referral={firstTouch} channelKind={conversation.channel.kind} />
        </p>
      ) : (
        attribution &&
        adPlatforms.has(conversation.channel.kind) && <p className="attribution-referral muted">No ad or link: the customer wrote on their own.</p>
      )}
      {error && !attribution && <p className="muted">Where this conversation came from could not be loaded: {error}</p>}
      {later.length > 0 && (
        <details className="attribution-later">
          <summary>Came back through {later.length === 1 ? 'another ad or link' : `${later.length} more ads or links`}</summary>
          <ul>
            {later.map((referral) => (
              <li key={referral.id}>
                <ReferralLine referral={referral} channelKind={conversation.channel.kind} showTime />
              </li>
            ))}
          </ul>
        </details>
      )}
      {outcomes.length > 0 && (
        <ul className="attribution-outcomes" aria-label="Outcomes">
          {outcomes.map((outcome) => {
            const conversion = conversionWords(outcome.conversion)
            return (
              <li key={outcome.id}>
                <strong>{outcomeTitle(outcome)}</strong>
                {outcome.recordedBy && (
                  <span className="muted">
                    {' '}
                    by <bdi>{outcome.recordedBy.name}</bdi>
                  </span>
                )}
                {conversion && <span className={`conversion conversion-${outcome.conversion.status}`}> · {conversion}</span>}
              </li>
            )
          })}
        </ul>
      )}
      <button type="button" className="attribution-record" onClick={() => setRecording(true)}>
        Record outcome…
      </button>
      {isRecording && <OutcomeDialog conversationId={id} attribution={attribution} onClose={() => setRecording(false)} />}
    </section>
  )
}
