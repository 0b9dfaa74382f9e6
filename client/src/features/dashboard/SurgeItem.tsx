import { channelKindLabels, type SurgeAlert } from '@carebox/shared'
import type { MouseEvent } from 'react'
import { formatDateTime } from '../../components/formatTime'
import { conversationPath } from '../../store/router.slice'
import { useStore } from '../../store/store'
import { surgeNegativeText, surgeTitle, surgeVolumeText } from './surge-text'

/** How many of the conversations behind a surge are listed; the rest are counted. */
const shownConversations = 12

const reasonLabels: Record<SurgeAlert['reasons'][number], string> = { volume: 'More messages than usual', negative: 'More complaints than usual' }

/** One surge: what surged and why, against its baseline, over which window, and the conversations behind it. */
export function SurgeItem({ surge }: { surge: SurgeAlert }) {
  const open = useStore((s) => s.openConversation)
  const onOpen = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    open(id)
  }
  // Named when the server names them; a conversation deleted since the alert is no longer listed.
  const named = surge.conversations
  const total = named ? named.length : surge.conversationIds.length
  const more = Math.max(0, total - shownConversations)
  return (
    <li className="surge" aria-label={surgeTitle(surge)}>
      <div className="surge-head">
        <span className="pill">{surge.scope === 'tag' ? 'Tag' : 'Channel'}</span>
        <strong>
          <bdi>{surge.label}</bdi>
        </strong>
        {surge.reasons.map((reason) => (
          <span key={reason} className={`pill surge-reason surge-reason-${reason}`}>
            {reasonLabels[reason]}
          </span>
        ))}
      </div>
      <dl className="surge-facts">
        <div>
          <dt>Window</dt>
          <dd>
            {formatDateTime(surge.windowStart)} – {formatDateTime(surge.windowEnd)}
          </dd>
        </div>
        <div>
          <dt>Inbound</dt>
          <dd>{surgeVolumeText(surge)}</dd>
        </div>
        <div>
          <dt>Negative share</dt>
          <dd>{surgeNegativeText(surge)}</dd>
        </div>
      </dl>
      {total > 0 && (
        <div className="surge-conversations">
          <span className="muted">Conversations behind it:</span>
          {named ? (
            <ul className="surge-people">
              {named.slice(0, shownConversations).map((conversation) => (
                <li key={conversation.id}>
                  <a href={conversationPath(conversation.id)} onClick={(event) => onOpen(event, conversation.id)}>
                    <bdi className="surge-customer">{conversation.customerName ?? 'Unknown customer'}</bdi>
                  </a>
                  <span className="muted">
                    {' '}
                    on <bdi>{conversation.channelName}</bdi> ({channelKindLabels[conversation.channelKind]})
                  </span>
                  {conversation.preview && (
                    <>
                      {': '}
                      <q className="surge-preview">
                        <bdi>{conversation.preview}</bdi>
                      </q>
                    </>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            // From a server that does not name them yet: numbered links are all there is.
            <ul>
              {surge.conversationIds.slice(0, shownConversations).map((id, index) => (
                <li key={id}>
                  <a
                    href={conversationPath(id)}
                    onClick={(event) => onOpen(event, id)}
                    aria-label={`Open conversation ${index + 1} of ${surge.conversationIds.length}`}
                  >
                    Conversation {index + 1}
                  </a>
                </li>
              ))}
            </ul>
          )}
          {more > 0 && <span className="muted">and {more} more</span>}
        </div>
      )}
    </li>
  )
}
