import type { ChannelKind, ConversationReferral } from '@carebox/shared'
import { formatDateTime } from '../../components/formatTime'
import { referralWords } from './referral-text'

/**
 * One referral in a line: the ad's headline or the link's ref as plain text (an advertiser wrote it), and a link to
 * the ad only when its address is http(s), opened without telling the other site where from.
 */
export function ReferralLine({ referral, channelKind, showTime = false }: { referral: ConversationReferral; channelKind: ChannelKind; showTime?: boolean }) {
  const words = referralWords(referral, channelKind)
  return (
    <>
      <bdi>{words.text}</bdi>
      {words.detail && <span className="muted"> {words.detail}</span>}
      {words.link && (
        <>
          {' '}
          <a href={words.link.href} target="_blank" rel="noopener noreferrer">
            {words.link.label}
          </a>
        </>
      )}
      {showTime && (
        <span className="muted">
          {' '}
          · <time dateTime={referral.receivedAt}>{formatDateTime(referral.receivedAt)}</time>
        </span>
      )}
    </>
  )
}
