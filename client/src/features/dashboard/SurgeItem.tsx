import type { SurgeAlert } from '@carebox/shared'
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
  const shown = surge.conversationIds.slice(0, shownConversations)
  const more = surge.conversationIds.length - shown.length
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
      {surge.conversationIds.length > 0 && (
        <div className="surge-conversations">
          <span className="muted">Conversations behind it:</span>
          <ul>
            {shown.map((id, index) => (
              <li key={id}>
                <a
                  href={conversationPath(id)}
                  onClick={(event) => onOpen(event, id)}
                  aria-label={`Open conversation ${index + 1} of ${surge.conversationIds.length}`}
                >
                  #{id.slice(0, 8)}
                </a>
              </li>
            ))}
          </ul>
          {more > 0 && <span className="muted">and {more} more</span>}
        </div>
      )}
    </li>
  )
}
