import { orderTemplates, templateRefusal } from '@carebox/shared'
import { useEffect, useState } from 'react'
import { metaCodeLabel } from '../../components/metaCodeLabel'
import { RelativeTime } from '../../components/RelativeTime'
import { selectHasRole } from '../../store/session.slice'
import { useStore } from '../../store/store'
import './channel-templates.css'

const isLeadSelector = selectHasRole('lead')

/** A WhatsApp channel's message templates as Carebox last read them, with why those that cannot be sent cannot. */
export function ChannelTemplates({ channelId }: { channelId: string }) {
  const list = useStore((s) => s.templatesByChannel[channelId])
  const loadError = useStore((s) => s.templatesErrors[channelId])
  const load = useStore((s) => s.loadTemplates)
  const refresh = useStore((s) => s.refreshTemplates)
  const canRefresh = useStore(isLeadSelector)
  const [isRefreshing, setRefreshing] = useState(false)
  const [refreshError, setRefreshError] = useState<string | null>(null)

  useEffect(() => {
    void load(channelId)
  }, [channelId, load])

  const readAgain = async () => {
    setRefreshing(true)
    setRefreshError(null)
    setRefreshError(await refresh(channelId))
    setRefreshing(false)
  }

  return (
    <section className="channel-templates" aria-label="WhatsApp templates">
      <div className="channel-templates-head">
        <span className="muted">
          {list ? (
            list.syncedAt ? (
              <>
                Last synced <RelativeTime at={list.syncedAt} />
              </>
            ) : (
              'Never synced'
            )
          ) : loadError ? (
            'Not loaded'
          ) : (
            'Loading templates…'
          )}
        </span>
        {canRefresh && (
          <button type="button" onClick={() => void readAgain()} disabled={isRefreshing}>
            {isRefreshing ? 'Refreshing…' : 'Refresh'}
          </button>
        )}
      </div>
      {refreshError && (
        <p role="alert" className="error">
          Could not refresh the templates: {refreshError}
        </p>
      )}
      {loadError && (
        <p role="alert" className="error">
          Could not load the templates: {loadError}
        </p>
      )}
      {list && !list.businessAccountId && (
        <p className="muted">This channel has no WhatsApp Business Account id: add it with Edit to read and send its templates.</p>
      )}
      {list?.businessAccountId && list.items.length === 0 && (
        <p className="muted">No templates in this WhatsApp Business Account. Create them in WhatsApp Manager, then refresh.</p>
      )}
      {list && list.items.length > 0 && (
        <ul className="template-rows" aria-label="Templates">
          {orderTemplates(list.items, null).map((template) => {
            const refusal = templateRefusal(template)
            return (
              <li key={template.id} className="template-row" aria-label={`${template.name} (${template.language})`}>
                <div className="template-row-head">
                  <strong className="template-row-name">{template.name}</strong>
                  <span className="muted">
                    {template.language} · {metaCodeLabel(template.category)}
                  </span>
                  <span className={refusal ? 'pill pill-off' : 'pill pill-on'}>{metaCodeLabel(template.status)}</span>
                </div>
                {refusal && <p className="template-row-reason">{refusal}</p>}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
